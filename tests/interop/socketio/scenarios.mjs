// Socket.IO interop scenarios with the real socket.io-client 4.x. Usage: node scenarios.mjs <scenario> <base url>.
// Exit code 0 and "ok <scenario>" on success; an assertion failure exits non-zero with its message.
import { io } from "socket.io-client";
import net from "node:net";
import { assert, once, until, sleep, runScenario } from "./lib.mjs";

const [, , name, base] = process.argv;
const opened = [];
const connect = (path = "", options = {}) => {
  const socket = io(base + path, { reconnection: false, ...options });
  opened.push(socket);
  return socket;
};

const scenarios = {
  // Default transports: polling first, then the upgrade; no event lost or reordered across the switch.
  async upgrade() {
    const socket = connect("/test");
    await once(socket, "connect");
    const received = [];
    socket.on("seq", (n) => received.push(n));
    socket.emit("burst", 300);
    await until(() => socket.io.engine.transport.name === "websocket", "the upgrade to websocket");
    await until(() => received.length === 300, "300 events");
    assert.deepEqual(received, [...Array(300).keys()]);
    assert.equal(socket.io.engine.transport.name, "websocket");
    assert.deepEqual(await socket.emitWithAck("identity", "after upgrade"), "after upgrade");
  },

  // Long-polling only: emits, acks and server pushes over held GETs and POSTs.
  async pollingOnly() {
    const socket = connect("/test", { transports: ["polling"] });
    await once(socket, "connect");
    assert.equal(socket.io.engine.transport.name, "polling");
    assert.deepEqual(await socket.emitWithAck("identity", { a: [1, "two"] }), { a: [1, "two"] });
    const [n] = await Promise.all([once(socket, "seq"), socket.emit("burst", 1)]).then(([args]) => args);
    assert.equal(n, 0);
  },

  async websocketOnly() {
    const socket = connect("/test", { transports: ["websocket"] });
    await once(socket, "connect");
    assert.equal(socket.io.engine.transport.name, "websocket");
    assert.deepEqual(await socket.emitWithAck("identity", 42, "x"), 42);
  },

  // Two namespaces over one Engine.IO session (one Manager).
  async twoNamespaces() {
    const main = connect("/");
    const test = io(base + "/test", { reconnection: false, forceNew: false });
    opened.push(test);
    await Promise.all([once(main, "connect"), once(test, "connect")]);
    assert.equal(main.io, test.io, "both sockets share one manager");
    assert.notEqual(main.id, test.id);
    assert.deepEqual(await main.emitWithAck("identity", "main"), "main");
    assert.deepEqual(await test.emitWithAck("whoami"), "/test");
  },

  async authAccepted() {
    const socket = connect("/private", { auth: { token: "good" } });
    await once(socket, "connect");
    assert.deepEqual(await socket.emitWithAck("whoami"), "user-good");
  },

  async authRefused() {
    const socket = connect("/private", { auth: { token: "bad" } });
    const [error] = await once(socket, "connect_error");
    assert.equal(error.message, "Not authorized");
    assert.deepEqual(error.data, { code: 401 });
    assert.equal(socket.connected, false);
  },

  async unknownNamespace() {
    const socket = connect("/nowhere");
    const [error] = await once(socket, "connect_error");
    assert.equal(error.message, "Invalid namespace");
  },

  // Client → server with ack; server → client with ack (the server asks, the client answers, the server reports).
  async acksBothWays() {
    const socket = connect("/test", { transports: ["websocket"] });
    await once(socket, "connect");
    assert.deepEqual(await socket.emitWithAck("identity", { nested: { ok: true } }), { nested: { ok: true } });
    socket.on("question", (q, answer) => answer(`answer to ${q}`));
    const [reported] = await Promise.all([once(socket, "answered"), socket.emit("ask", "life")]).then(([a]) => a);
    assert.equal(reported, "answer to life");
  },

  async serverAckTimeout() {
    const socket = connect("/test", { transports: ["websocket"] });
    await once(socket, "connect");
    socket.on("question", () => { /* never answers */ });
    const [reported] = await Promise.all([once(socket, "answered"), socket.emit("ask", "ignored")]).then(([a]) => a);
    assert.equal(reported, "timeout");
  },

  async rooms() {
    const [a, b, c] = [connect("/test"), connect("/test"), connect("/test")];
    await Promise.all([a, b, c].map((s) => once(s, "connect")));
    await a.emitWithAck("join", "r1");
    await b.emitWithAck("join", "r1");
    const gotC = [];
    c.on("room-message", (m) => gotC.push(m));
    const gotA = [];
    a.on("room-message", (m) => gotA.push(m));
    const [[message]] = await Promise.all([once(b, "room-message"), a.emitWithAck("to-room", "r1", "hello r1")]);
    assert.equal(message, "hello r1");
    await sleep(100);
    assert.deepEqual(gotA, [], "the sender is excepted");
    assert.deepEqual(gotC, [], "non-members get nothing");
    await b.emitWithAck("leave", "r1");
    await a.emitWithAck("to-room", "r1", "after leave");
    await sleep(100);
  },

  async binary() {
    for (const transports of [["polling"], ["websocket"]]) {
      const socket = connect("/test", { transports, forceNew: true });
      await once(socket, "connect");
      const payload = Buffer.from([0, 1, 2, 250, 255]);
      const echoed = await socket.emitWithAck("identity", payload, { label: "x", data: Buffer.from("nested") });
      assert.ok(Buffer.isBuffer(echoed), "ack carries a Buffer");
      assert.deepEqual([...echoed], [...payload]);
      const [bytes, meta] = await Promise.all([once(socket, "binary"), socket.emit("send-binary")]).then(([a]) => a);
      assert.deepEqual([...bytes], [1, 2, 3]);
      assert.equal(meta, "three bytes");
      socket.close();
    }
  },

  // The server drops the Engine.IO connection (no DISCONNECT packet): the client reconnects by itself. Once on
  // WebSocket (after the upgrade), then on long-polling only (the close packet "1" ends the poll).
  async reconnect() {
    for (const transports of [["polling", "websocket"], ["polling"]]) {
      const socket = connect("/test", { transports, reconnection: true, reconnectionDelay: 100, reconnectionDelayMax: 200, forceNew: true });
      await once(socket, "connect");
      const expected = transports.at(-1);
      await until(() => socket.io.engine.transport.name === expected, expected);
      const firstId = socket.id;
      socket.emit("drop");
      const [reason, details] = await once(socket, "disconnect");
      assert.equal(reason, "transport close", `${expected}: ${details?.description ?? details}`);
      await once(socket, "connect");
      assert.notEqual(socket.id, firstId);
      assert.deepEqual(await socket.emitWithAck("identity", "back"), "back");
      socket.close();
    }
  },

  // The server disconnects the socket from the namespace: "io server disconnect", and no automatic reconnection.
  async serverDisconnect() {
    const socket = connect("/test", { reconnection: true });
    await once(socket, "connect");
    socket.emit("kick");
    const [reason] = await once(socket, "disconnect");
    assert.equal(reason, "io server disconnect");
  },

  // Heartbeat with short intervals (the server runs pingInterval 300 ms, pingTimeout 1 s): the connection lives on pings
  // well past the client's own deadline (1.3 s without a ping).
  async heartbeatAlive() {
    const socket = connect("/test", { transports: ["websocket"] });
    await once(socket, "connect");
    let pings = 0;
    socket.io.engine.on("ping", () => pings++);
    await sleep(2500);
    // ~8 expected; the bound only proves the server keeps pinging (the shared wheel can run late under load).
    assert.ok(pings >= 2, `pings seen: ${pings}`);
    assert.equal(socket.connected, true);
  },

  // The client stops answering pings: the server closes the session ("ping timeout" on the server side).
  async heartbeatServerDetects() {
    const socket = connect("/test", { transports: ["websocket"] });
    await once(socket, "connect");
    console.log(JSON.stringify({ socketId: socket.id }));
    const engine = socket.io.engine;
    const send = engine._sendPacket.bind(engine);
    engine._sendPacket = (type, ...rest) => (type === "pong" ? undefined : send(type, ...rest));
    const [reason] = await once(socket, "disconnect", 5000);
    assert.equal(reason, "transport close");
  },

  // The server stops being heard (a proxy swallows its bytes): the client detects it ("ping timeout"), the server too.
  async heartbeatClientDetects() {
    const target = new URL(base);
    let blackhole = false;
    const proxy = net.createServer((client) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      client.on("data", (d) => blackhole || upstream.write(d));
      upstream.on("data", (d) => blackhole || client.write(d));
      client.on("error", () => upstream.destroy());
      upstream.on("error", () => client.destroy());
      // While blackholed the server's side stays open, so the server must notice the silence by itself.
      client.on("close", () => blackhole ? setTimeout(() => upstream.destroy(), 2000) : upstream.destroy());
      upstream.on("close", () => client.destroy());
    });
    await new Promise((r) => proxy.listen(0, "127.0.0.1", r));
    try {
      const socket = io(`http://127.0.0.1:${proxy.address().port}/test`, { transports: ["websocket"], reconnection: false });
      opened.push(socket);
      await once(socket, "connect");
      const id = socket.id;
      blackhole = true;
      const [reason] = await once(socket, "disconnect", 5000);
      assert.equal(reason, "ping timeout");
      console.log(JSON.stringify({ socketId: id }));
      await sleep(1500); // the server's own ping timeout (at most 300 + 1000 ms after the silence) falls within this
    } finally {
      proxy.close();
    }
  },
};

await runScenario(scenarios, name, opened);
