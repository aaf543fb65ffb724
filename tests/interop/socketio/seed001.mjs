// Seed 001's demo gateway as Socket.IO's main namespace "/" (shared/spec/chat-protocol.md): default client options.
// Usage: node seed001.mjs <base url>
import { io } from "socket.io-client";
import { assert, once } from "./lib.mjs";

const base = process.argv[2];
const socket = io(base, { reconnection: false });
try {
  await once(socket, "connect");
  // identity: the ack returns the argument unchanged, binary attachments included.
  assert.deepEqual(await socket.emitWithAck("identity", "hello world"), "hello world");
  assert.deepEqual(await socket.emitWithAck("identity", { n: 7, list: [1, 2] }), { n: 7, list: [1, 2] });
  const bytes = await socket.emitWithAck("identity", Buffer.from("binary!"));
  assert.equal(Buffer.from(bytes).toString(), "binary!");
  // events: three 'events' back to the sender, 1, 2, 3.
  const received = [];
  socket.on("events", (n) => received.push(n));
  socket.emit("events", "hello world");
  await new Promise((resolve, reject) => {
    const check = setInterval(() => received.length >= 3 && (clearInterval(check), resolve()), 10);
    setTimeout(() => reject(new Error(`events received: ${received}`)), 5000);
  });
  assert.deepEqual(received, [1, 2, 3]);
  console.log("ok seed001");
} catch (error) {
  console.error(`FAIL seed001: ${error?.stack ?? error}`);
  process.exitCode = 1;
} finally {
  socket.close();
}
