// One gateway, two wire protocols: the test gateway's namespace "/test" (tests/FastRealtime.Tests/Gateways/TestGateway.cs)
// driven by the real socket.io-client AND a plain-WebSocket JSON client (npm ws) at once.
// Usage: node gateway.mjs <scenario> <base url> [transport: upgrade | polling | websocket]
// Exit code 0 and "ok <scenario>" on success. Run by tests/FastRealtime.Tests/Gateways/SocketIoGatewayTests.cs.
import { io } from "socket.io-client";
import WebSocket from "ws";
import { assert, once, until, runScenario } from "./lib.mjs";

const [, , name, base, transport = "upgrade"] = process.argv;
const transports = { upgrade: ["polling", "websocket"], polling: ["polling"], websocket: ["websocket"] }[transport];
const opened = [];

const sio = (options = {}) => {
  const socket = io(base + "/test", { reconnection: false, forceNew: true, transports, ...options });
  opened.push(socket);
  return socket;
};

const connected = async (options) => {
  const socket = sio(options);
  await once(socket, "connect");
  return socket;
};

/** The plain-WebSocket JSON envelope client: {"event","data","id"?} text frames. */
class JsonWs {
  constructor(query) {
    this.ws = new WebSocket(`${base.replace("http", "ws")}/test${query ? `?${query}` : ""}`);
    this.messages = [];
    this.waiting = [];
    this.nextId = 0;
    this.ws.on("message", (data) => {
      const message = JSON.parse(data.toString());
      const waiter = this.waiting.shift();
      if (waiter) waiter(message);
      else this.messages.push(message);
    });
    opened.push({ close: () => this.ws.close() });
  }

  static async open(query) {
    const client = new JsonWs(query);
    await once(client.ws, "open");
    return client;
  }

  send(event, data, id) {
    this.ws.send(JSON.stringify(id === undefined ? { event, data } : { event, id, data }));
  }

  next(ms = 5000) {
    if (this.messages.length > 0) return Promise.resolve(this.messages.shift());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("timed out waiting for a plain-WebSocket message")), ms);
      this.waiting.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  }

  async request(event, data) {
    const id = ++this.nextId;
    this.send(event, data, id);
    const reply = await this.next();
    assert.equal(reply.id, id, `the ack of ${event}#${id}, got ${JSON.stringify(reply)}`);
    return reply.data;
  }

  /** Nothing was queued for this client before a probe's ack (everything to one client is sent in order). */
  async assertNothingPending() {
    assert.equal(await this.request("probe", null), "probe");
  }
}

/** Same proof for a Socket.IO socket: events emitted to it before the probe's ack would have arrived before it. */
async function assertNothingPending(socket, received) {
  assert.equal(await socket.emitWithAck("probe"), "probe");
  assert.deepEqual(received, [], "nothing else arrived");
}

function assertException(error, pattern, message) {
  assert.equal(error.status, "error");
  assert.equal(error.cause.pattern, pattern);
  assert.ok(message instanceof RegExp ? message.test(error.message) : error.message === message, `message: ${error.message}`);
  assert.match(error.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
}

const scenarios = {
  // A Socket.IO client and a plain-WebSocket client in one room of one gateway: acks on both protocols, emissions
  // from either side reaching the other (the sender excepted or included), to a user, to everyone.
  async crossProtocol() {
    const ws = await JsonWs.open("user=alice");
    const bob = await connected({ auth: { user: "bob" } });
    if (transport === "upgrade") await new Promise((r) => (bob.io.engine.transport.name === "websocket" ? r() : bob.io.engine.once("upgrade", r)));
    const bobGot = [];
    bob.on("msg", (m) => bobGot.push(m));

    // who: the Socket.IO socket id is the gateway client's id; the auth payload authenticated it.
    assert.deepEqual(await bob.emitWithAck("whoami"), { id: bob.id, userId: "bob" });
    assert.equal((await ws.request("whoami", null)).userId, "alice");

    assert.equal(await ws.request("join", { room: "r" }), "Joined");
    assert.equal(await bob.emitWithAck("join", { room: "r" }), "Joined");

    // Socket.IO → room except the sender: the plain-WebSocket member gets it, the sender does not.
    assert.equal(await bob.emitWithAck("to-room", { room: "r", text: "from socket.io" }), 1);
    assert.deepEqual(await ws.next(), { event: "msg", data: "from socket.io" });
    await assertNothingPending(bob, bobGot);

    // plain WebSocket → room except the sender.
    assert.equal(await ws.request("to-room", { room: "r", text: "from ws" }), 1);
    await until(() => bobGot.length === 1, "bobGot.length === 1");
    assert.deepEqual(bobGot.splice(0), ["from ws"]);
    await ws.assertNothingPending();

    // Including the sender: both protocols, one encoding each.
    assert.equal(await bob.emitWithAck("to-room-all", { room: "r", text: "to all of r" }), 2);
    assert.deepEqual(await ws.next(), { event: "msg", data: "to all of r" });
    await until(() => bobGot.length === 1, "bobGot.length === 1");
    assert.deepEqual(bobGot.splice(0), ["to all of r"]);

    // One user, two sockets on two protocols: alice on plain WebSocket and on Socket.IO.
    const alice = await connected({ auth: { user: "alice" } });
    const aliceGot = [];
    alice.on("msg", (m) => aliceGot.push(m));
    assert.equal(await bob.emitWithAck("to-user", { userId: "alice", text: "hi alice" }), 2);
    assert.deepEqual(await ws.next(), { event: "msg", data: "hi alice" });
    await until(() => aliceGot.length === 1, "aliceGot.length === 1");
    assert.deepEqual(aliceGot.splice(0), ["hi alice"]);
    await assertNothingPending(bob, bobGot);

    // Everyone in the namespace, from plain WebSocket (the sender included: its copy precedes its ack).
    ws.send("everyone", "all", 99);
    assert.deepEqual(await ws.next(), { event: "msg", data: "all" });
    assert.deepEqual(await ws.next(), { event: "everyone", id: 99, data: 3 });
    await until(() => bobGot.length === 1 && aliceGot.length === 1, "bobGot.length === 1 && aliceGot.length === 1");
    assert.deepEqual([bobGot[0], aliceGot[0]], ["all", "all"]);
    bobGot.length = aliceGot.length = 0;

    // Leaving: bob no longer gets the room's messages.
    assert.equal(await bob.emitWithAck("leave", { room: "r" }), true);
    assert.equal(await ws.request("to-room", { room: "r", text: "after leave" }), 0);
    await assertNothingPending(bob, bobGot);
  },

  // Acks: a value, null for a handler without one, an async handler's value; messages of one client handled in order.
  async acks() {
    const socket = await connected({ auth: { user: "acker" } });
    assert.equal(await socket.emitWithAck("number", 21), 42);
    assert.equal(await socket.emitWithAck("nothing"), null);
    assert.equal(await socket.emitWithAck("slow", 5), 5);
    const order = [];
    await Promise.all([
      socket.emitWithAck("slow", 1).then((v) => order.push(v)),
      socket.emitWithAck("fast", 2).then((v) => order.push(v)),
    ]);
    assert.deepEqual(order, [1, 2], "the slow handler's ack comes first: one message at a time per client");
    // A WsResponse is an event (NestJS's adapter emits it; the ack stays unanswered).
    const [answered] = await Promise.all([once(socket, "answered"), socket.emit("response", "as an event")]).then(([a]) => a);
    assert.equal(answered, "as an event");
  },

  // Binary: an echoed Buffer comes back a Buffer (the request's attachments), a byte[] return value is a BINARY_ACK;
  // the plain-WebSocket client gets the same bytes as base64.
  async binary() {
    const socket = await connected();
    const sent = Buffer.from([0, 1, 2, 250, 255]);
    const echoed = await socket.emitWithAck("echo", sent);
    assert.ok(Buffer.isBuffer(echoed), "the echo is a Buffer");
    assert.deepEqual([...echoed], [...sent]);
    const nested = await socket.emitWithAck("echo", { label: "x", data: Buffer.from("nested") });
    assert.equal(nested.label, "x");
    assert.equal(Buffer.from(nested.data).toString(), "nested");
    const bytes = await socket.emitWithAck("bytes", 4);
    assert.ok(Buffer.isBuffer(bytes), "a byte[] return value is a Buffer");
    assert.deepEqual([...bytes], [0, 1, 2, 3]);
    assert.deepEqual([...(await socket.emitWithAck("bytes-async", 3))], [0, 1, 2]);
    const ws = await JsonWs.open();
    assert.equal(await ws.request("bytes", 4), Buffer.from([0, 1, 2, 3]).toString("base64"));
  },

  // Failures answer the `exception` event (NestJS shape) on Socket.IO as on plain WebSocket; the connection stays.
  async exceptions() {
    const socket = await connected();
    const ws = await JsonWs.open();
    const exceptionOf = async (event, data) => {
      const [[error]] = await Promise.all([once(socket, "exception"), socket.emit(event, data)]);
      return error;
    };

    const invalid = await exceptionOf("validate", { roomId: "general", text: "" });
    assertException(invalid, "validate", /text/);
    assert.deepEqual(invalid.cause.data, { roomId: "general", text: "" });
    ws.send("validate", { roomId: "general", text: "" });
    const wsInvalid = await ws.next();
    assert.equal(wsInvalid.event, "exception");
    assert.equal(wsInvalid.data.message, invalid.message, "the same validation message on both protocols");

    assertException(await exceptionOf("throw", null), "throw", "Internal server error");
    assertException(await exceptionOf("throw-async", null), "throw-async", "Internal server error");
    assertException(await exceptionOf("user-error", null), "user-error", "You may not do that");
    assertException(await exceptionOf("guarded", null), "guarded", "Forbidden resource");
    assertException(await exceptionOf("no-such-event", 1), "no-such-event", /no handler/);
    assertException(await exceptionOf("number", "not a number"), "number", /Invalid payload/);
    assert.equal(await socket.emitWithAck("validate", { roomId: "general", text: "hello" }), "ok:hello");
    assert.equal(socket.connected, true);
  },

  // Connection guards refuse with CONNECT_ERROR {message}: from the auth payload and from the handshake's query.
  async guardRefusal() {
    const banned = sio({ auth: { user: "banned" } });
    const [bannedError] = await once(banned, "connect_error");
    assert.equal(bannedError.message, "Banned user");
    const refused = sio({ auth: { user: "refused" } });
    const [refusedError] = await once(refused, "connect_error");
    assert.equal(refusedError.message, "Forbidden resource");
    const byQuery = sio({ query: { user: "banned" } });
    const [queryError] = await once(byQuery, "connect_error");
    assert.equal(queryError.message, "Banned user");
    assert.equal(banned.connected || refused.connected || byQuery.connected, false);
    // The same session may connect to another namespace meanwhile: a refusal ends only its own namespace.
    const ok = await connected({ auth: { user: "fine" } });
    assert.deepEqual((await ok.emitWithAck("whoami")).userId, "fine");
  },

  // The server disconnects the client (client.Disconnect()): "io server disconnect", no reconnection.
  async serverDisconnect() {
    const socket = await connected({ reconnection: true });
    socket.emit("disconnect-me");
    const [reason] = await once(socket, "disconnect");
    assert.equal(reason, "io server disconnect");
  },

  // Past the per-client rate limit (the server runs 5 per second, burst 5) a message answers `exception`.
  async rateLimit() {
    const socket = await connected();
    const errors = [];
    socket.on("exception", (e) => errors.push(e));
    for (let i = 0; i < 20; i++) socket.emit("fast", i);
    await until(() => errors.length > 0, "errors.length > 0");
    assert.match(errors[0].message, /rate limit/);
  },
};

await runScenario(scenarios, name, opened, `${name} (${transport})`);
