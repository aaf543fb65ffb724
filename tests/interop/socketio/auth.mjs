// Connects the real socket.io-client to a JWT-guarded namespace once and reports what happened, as one JSON line:
// {"connected":true,"whoami":<ack of "whoami">} or {"connected":false,"message":<CONNECT_ERROR message>}.
// Usage: node auth.mjs <base url> <namespace> <how: auth | header | query | none> <token> [transport: upgrade | polling | websocket]
// Run by tests/FastRealtime.Tests/Auth/JwtConnectionGuardTests.cs, which asserts on the line.
import { io } from "socket.io-client";
import { once } from "./lib.mjs";

const [, , base, namespace, how, token, transport = "upgrade"] = process.argv;
const transports = { upgrade: ["polling", "websocket"], polling: ["polling"], websocket: ["websocket"] }[transport];
const presented = {
  auth: { auth: { token } },
  header: { extraHeaders: { Authorization: `Bearer ${token}` } },
  query: { query: { token } },
  none: {},
}[how];

const socket = io(base + namespace, { reconnection: false, forceNew: true, transports, ...presented });
const timer = setTimeout(() => {
  console.error("timed out");
  process.exit(3);
}, 15000);
try {
  const outcome = await Promise.race([
    once(socket, "connect").then(async () => ({ connected: true, whoami: await socket.timeout(5000).emitWithAck("whoami") })),
    once(socket, "connect_error").then(([error]) => ({ connected: false, message: error.message })),
  ]);
  console.log(JSON.stringify(outcome));
  process.exitCode = 0;
} catch (error) {
  console.error(`FAIL: ${error?.stack ?? error}`);
  process.exitCode = 1;
} finally {
  clearTimeout(timer);
  socket.close();
  setTimeout(() => process.exit(), 50);
}
