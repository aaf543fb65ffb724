// The /chat and /notifications contract (shared/spec/chat-protocol.md) with the real socket.io-client 4.x against
// the real chat composition. Usage: node chat.mjs <scenario> <base url> <tokens json>
// tokens: {"alice": jwt, "alice2": jwt of alice again, "bob": ..., "carol": ..., "adminKey": ..., "invalid": [bad tokens]}
// Exit code 0 and "ok <scenario>" on success.
import { io } from "socket.io-client";
import { appendFileSync, writeFileSync } from "node:fs";
import { assert, once, until, sleep, runScenario } from "./lib.mjs";

const [, , name, base, tokensJson, outputFile] = process.argv;
const tokens = JSON.parse(tokensJson ?? "{}");
const opened = [];

/** A new connection (own manager, so several sockets of one user are several Engine.IO sessions, like tabs). */
function connect(who, path = "/chat", options = {}) {
  const socket = io(base + path, { auth: { token: tokens[who] }, reconnection: false, forceNew: true, ...options });
  opened.push(socket);
  return socket;
}

/** Connects and records every event the socket receives, by name. */
async function user(who, path = "/chat", options = {}) {
  const socket = connect(who, path, options);
  socket.received = {};
  socket.onAny((event, ...args) => (socket.received[event] ??= []).push(args[0]));
  await once(socket, "connect");
  return socket;
}

const got = (socket, event) => socket.received[event] ?? [];

/** Everything queued for the socket before now has arrived: an acked round trip (history of a joined room) first. */
async function settle(socket, roomId) {
  await socket.emitWithAck("chat:history", { roomId, limit: 1 });
}

/** Emits without an ack and resolves with the `exception` that answers it. */
async function expectException(socket, event, data) {
  const answer = once(socket, "exception");
  socket.emit(event, data);
  const [exception] = await answer;
  assert.equal(exception.status, "error");
  assert.equal(exception.cause.pattern, event);
  assert.ok(!isNaN(Date.parse(exception.timestamp)), "timestamp is ISO-8601");
  return exception.message;
}

/** chat:send-message: resolves with the ack, null when `exception` answered, undefined after 3 s of silence. */
function send(socket, data) {
  return new Promise((resolve) => {
    const done = (value) => {
      clearTimeout(timer);
      socket.off("exception", refused);
      resolve(value);
    };
    const refused = () => done(null);
    const timer = setTimeout(() => done(undefined), 3000);
    socket.once("exception", refused);
    socket.emit("chat:send-message", data, (ack) => done(ack));
  });
}

const scenarios = {
  // Three users: join acks, user-joined, message with ack to everyone else, typing, leave.
  async contract() {
    const alice = await user("alice");
    const bob = await user("bob");
    const carol = await user("carol", "/chat", { transports: ["polling"] }); // long-polling reaches the same rooms

    const first = await alice.emitWithAck("chat:join-room", { roomId: "general" });
    assert.deepEqual(first, { roomId: "general", users: [{ userId: "u-alice", userName: "Alice" }], recentMessages: [] });
    await bob.emitWithAck("chat:join-room", { roomId: "general" });
    const third = await carol.emitWithAck("chat:join-room", { roomId: "general" });
    assert.deepEqual(third.users.map((u) => u.userId), ["u-alice", "u-bob", "u-carol"]);
    await until(() => got(alice, "chat:user-joined").length === 2, "alice sees bob and carol join");
    assert.deepEqual(got(alice, "chat:user-joined").map((e) => e.userName), ["Bob", "Carol"]);
    assert.equal(got(carol, "chat:user-joined").length, 0, "the joiner is not told about itself");

    const ack = await alice.emitWithAck("chat:send-message", { roomId: "general", text: "Hola a todos!" });
    assert.equal(ack.status, "delivered");
    assert.equal(typeof ack.id, "string");
    assert.ok(ack.sentAt.endsWith("Z") && !isNaN(Date.parse(ack.sentAt)), ack.sentAt);
    for (const other of [bob, carol]) {
      await until(() => got(other, "chat:message").length === 1, "the message");
      assert.deepEqual(got(other, "chat:message")[0], {
        id: ack.id, userId: "u-alice", userName: "Alice", roomId: "general", text: "Hola a todos!", sentAt: ack.sentAt,
      });
    }
    await settle(alice, "general");
    assert.equal(got(alice, "chat:message").length, 0, "the sender does not get its own message");

    bob.emit("chat:typing-start", { roomId: "general" });
    await until(() => got(alice, "chat:typing").length === 1 && got(carol, "chat:typing").length === 1, "typing");
    assert.deepEqual(got(alice, "chat:typing")[0], { userId: "u-bob", userName: "Bob", roomId: "general", isTyping: true });
    bob.emit("chat:typing-stop", { roomId: "general" });
    await until(() => got(alice, "chat:typing").length === 2, "typing stop");
    assert.equal(got(alice, "chat:typing")[1].isTyping, false);
    await settle(bob, "general");
    assert.equal(got(bob, "chat:typing").length, 0, "the typist does not see itself");

    carol.emit("chat:leave-room", { roomId: "general" });
    await until(() => got(alice, "chat:user-left").length === 1 && got(bob, "chat:user-left").length === 1, "user-left");
    const left = got(alice, "chat:user-left")[0];
    assert.equal(left.userId, "u-carol");
    assert.ok(!isNaN(Date.parse(left.leftAt)));
    const lastUsers = got(alice, "chat:room-users").at(-1);
    assert.deepEqual(lastUsers.users.map((u) => u.userId), ["u-alice", "u-bob"]);

    // A late joiner gets the history, oldest first.
    await bob.emitWithAck("chat:send-message", { roomId: "general", text: "second" });
    const late = await carol.emitWithAck("chat:join-room", { roomId: "general" });
    assert.deepEqual(late.recentMessages.map((m) => m.text), ["Hola a todos!", "second"]);
  },

  // Two tabs of one user: user-joined once, user-left only when the last tab disconnects.
  async multiTab() {
    const bob = await user("bob");
    await bob.emitWithAck("chat:join-room", { roomId: "tabs" });
    const tab1 = await user("alice");
    const tab2 = await user("alice2");
    await tab1.emitWithAck("chat:join-room", { roomId: "tabs" });
    const ack = await tab2.emitWithAck("chat:join-room", { roomId: "tabs" });
    assert.deepEqual(ack.users.map((u) => u.userId), ["u-alice", "u-bob"]);
    await settle(bob, "tabs");
    assert.equal(got(bob, "chat:user-joined").length, 1);

    // A message from one tab reaches the user's other tab (it is another socket), not the sender.
    await tab1.emitWithAck("chat:send-message", { roomId: "tabs", text: "from tab 1" });
    await until(() => got(tab2, "chat:message").length === 1 && got(bob, "chat:message").length === 1, "the message");

    tab1.disconnect();
    await sleep(100);
    await tab2.emitWithAck("chat:send-message", { roomId: "tabs", text: "tab 2 still here" });
    await until(() => got(bob, "chat:message").length === 2, "tab 2's message");
    assert.equal(got(bob, "chat:user-left").length, 0, "a tab closing is not the user leaving");

    tab2.disconnect();
    await until(() => got(bob, "chat:user-left").length === 1, "user-left when the last tab goes");
    assert.equal(got(bob, "chat:user-left")[0].userId, "u-alice");
    await settle(bob, "tabs");
    assert.equal(got(bob, "chat:user-left").length, 1);
  },

  // Invalid payloads and requests: `exception` naming the field; nothing stored or broadcast.
  async validation() {
    const alice = await user("alice");
    const bob = await user("bob");
    await alice.emitWithAck("chat:join-room", { roomId: "v" });
    await bob.emitWithAck("chat:join-room", { roomId: "v" });
    assert.match(await expectException(alice, "chat:send-message", { roomId: "v", text: "" }), /text/);
    assert.match(await expectException(alice, "chat:send-message", { roomId: "v", text: "x".repeat(2001) }), /text/);
    assert.match(await expectException(alice, "chat:send-message", { roomId: "v" }), /text/);
    assert.match(await expectException(alice, "chat:send-message", { text: "hi" }), /roomId/);
    assert.match(await expectException(alice, "chat:join-room", { roomId: "no spaces" }), /roomId/);
    assert.match(await expectException(alice, "chat:join-room", { roomId: "x".repeat(65) }), /roomId/);
    assert.match(await expectException(alice, "chat:send-message", { roomId: "elsewhere", text: "hi" }), /Not a member/);
    assert.match(await expectException(alice, "chat:typing-start", { roomId: "elsewhere" }), /Not a member/);
    assert.match(await expectException(alice, "chat:no-such-event", {}), /./);
    const ok = await alice.emitWithAck("chat:send-message", { roomId: "v", text: "x".repeat(2000) });
    assert.equal(ok.status, "delivered", "the connection is still usable");
    await until(() => got(bob, "chat:message").length === 1, "the valid message");
    const page = await bob.emitWithAck("chat:history", { roomId: "v" });
    assert.equal(page.messages.length, 1, "nothing invalid was stored");
  },

  // Rate limit (the server runs with a burst of 3 at 1 message per second).
  async rateLimit() {
    const alice = await user("alice");
    await alice.emitWithAck("chat:join-room", { roomId: "fast" });
    const exceptions = [];
    alice.on("exception", (e) => exceptions.push(e));
    let acked = 0;
    for (let i = 0; i < 10; i++) alice.emit("chat:send-message", { roomId: "fast", text: `m${i}` }, () => acked++);
    await until(() => acked + exceptions.length === 10, "an answer to every message");
    assert.ok(acked >= 3 && exceptions.length >= 1, `acked ${acked}, refused ${exceptions.length}`);
    assert.match(exceptions[0].message, /Rate limit/);
    const page = await alice.emitWithAck("chat:history", { roomId: "fast", limit: 50 });
    assert.equal(page.messages.length, acked, "exactly the acked messages are stored");
  },

  // Missing, malformed, expired, wrongly signed tokens: CONNECT_ERROR with a message, nothing reachable.
  async badTokens() {
    const attempts = [io(base + "/chat", { reconnection: false, forceNew: true })];
    for (const token of tokens.invalid) attempts.push(io(base + "/chat", { auth: { token }, reconnection: false, forceNew: true }));
    attempts.push(io(base + "/notifications", { reconnection: false, forceNew: true }));
    opened.push(...attempts);
    const errors = await Promise.all(attempts.map((socket) => once(socket, "connect_error")));
    for (const [i, socket] of attempts.entries()) {
      const [error] = errors[i];
      assert.equal(typeof error.message, "string");
      assert.ok(error.message.length > 0);
      assert.equal(socket.connected, false);
    }
  },

  // notification:new to every socket of one user; the HTTP API (admin key) to a user and to all.
  async notifications() {
    const tab1 = await user("alice", "/notifications");
    const tab2 = await user("alice2", "/notifications");
    const bob = await user("bob", "/notifications");
    await sleep(50); // registered under the user at connect
    const post = (body, key = tokens.adminKey) =>
      fetch(base + "/api/notifications", {
        method: "POST",
        headers: { "content-type": "application/json", ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify(body),
      });
    const sent = await post({ userId: "u-alice", type: "warning", title: "Hola", message: "Alice only" });
    assert.equal(sent.status, 202);
    const { id, delivered } = await sent.json();
    assert.equal(delivered, 2);
    await until(() => got(tab1, "notification:new").length === 1 && got(tab2, "notification:new").length === 1, "both tabs");
    const n = got(tab1, "notification:new")[0];
    assert.deepEqual({ ...n, createdAt: undefined }, { id, type: "warning", title: "Hola", message: "Alice only", createdAt: undefined });
    assert.ok(!isNaN(Date.parse(n.createdAt)));

    const all = await post({ type: "info", title: "Everyone", message: "" });
    assert.equal((await all.json()).delivered, 3);
    await until(() => got(bob, "notification:new").length === 1, "bob gets the broadcast");
    assert.equal(got(bob, "notification:new")[0].title, "Everyone", "and not Alice's");

    const noKey = await post({ type: "info", title: "x" }, null);
    assert.equal(noKey.status, 401);
    assert.ok((await noKey.json()).error);
    const badType = await post({ type: "loud", title: "x" });
    assert.equal(badType.status, 400);
    assert.match((await badType.json()).error, /type/);
  },

  // Seed 002 section 11: one client, both namespaces over one manager.
  async twoNamespaces() {
    const chat = io(base + "/chat", { auth: { token: tokens.alice }, reconnection: false });
    const notif = io(base + "/notifications", { auth: { token: tokens.alice }, reconnection: false });
    opened.push(chat, notif);
    await Promise.all([once(chat, "connect"), once(notif, "connect")]);
    assert.equal(chat.io, notif.io);
    const ack = await chat.emitWithAck("chat:join-room", { roomId: "ns" });
    assert.equal(ack.roomId, "ns");
  },

  // Adds messages to a room and prints their ids (the restart test checks them after a restart).
  async writeHistory() {
    const alice = await user("alice");
    await alice.emitWithAck("chat:join-room", { roomId: "durable" });
    const ids = [];
    for (let i = 0; i < 5; i++) ids.push((await alice.emitWithAck("chat:send-message", { roomId: "durable", text: `kept ${i}` })).id);
    console.log("ids " + JSON.stringify(ids));
  },

  // Joins the room and prints the recent messages' ids.
  async readHistory() {
    const bob = await user("bob");
    const ack = await bob.emitWithAck("chat:join-room", { roomId: "durable" });
    console.log("ids " + JSON.stringify(ack.recentMessages.map((m) => m.id)));
    console.log("texts " + JSON.stringify(ack.recentMessages.map((m) => m.text)));
  },

  // Crash test load: four sockets send acked messages as fast as they can; each ack's id is appended to <output file>
  // the moment it arrives. Ends when the server goes away (killed by the test) or after 12 s.
  async crashLoad() {
    const writers = await Promise.all(["alice", "alice2", "bob", "carol"].map((who) => user(who)));
    await Promise.all(writers.map((s) => s.emitWithAck("chat:join-room", { roomId: "crash" })));
    const deadline = Date.now() + 12000;
    let acked = 0;
    await Promise.all(writers.map(async (socket, w) => {
      for (let i = 0; socket.connected && Date.now() < deadline; i++) {
        const ack = await send(socket, { roomId: "crash", text: `w${w} #${i}` });
        if (ack === undefined) break; // no answer: the server is gone (or stalled); that message may or may not be stored
        if (ack === null) {
          await sleep(20); // refused (rate limit): nothing stored, try again
          continue;
        }
        appendFileSync(outputFile, ack.id + "\n");
        acked++;
      }
    }));
    console.log(`acked ${acked}`);
  },

  // Pages back through room "crash" with chat:history and writes every stored id to <output file>.
  async readAll() {
    const bob = await user("bob");
    await bob.emitWithAck("chat:join-room", { roomId: "crash" });
    const ids = [];
    let before;
    for (;;) {
      const page = await bob.emitWithAck("chat:history", { roomId: "crash", before, limit: 200 });
      if (page.messages.length === 0) break;
      ids.unshift(...page.messages.map((m) => m.id));
      before = page.messages[0].id;
    }
    writeFileSync(outputFile, ids.join("\n"));
    console.log(`stored ${ids.length}`);
  },
};

await runScenario(scenarios, name, opened, `chat ${name}`);
