// The chat across FastRealtime nodes sharing Redis, with the real socket.io-client 4.x: users connected to different
// nodes share rooms, user lists, messages, typing, join/leave events and notifications.
// Usage: node chatcluster.mjs <scenario> <tokens json> <base url of node A> <base url of node B> [...]
// tokens: {"alice": jwt, "alice2": jwt of alice again, "bob": ..., "carol": ..., "adminKey": ...}
// Exit code 0 and "ok <scenario>" on success. Run by tests/FastRealtime.Tests/ScaleOut/ChatClusterTests.cs.
import { io } from "socket.io-client";
import { assert, once, until, sleep, runScenario } from "./lib.mjs";

const [, , name, tokensJson, ...bases] = process.argv;
const tokens = JSON.parse(tokensJson);
const [baseA, baseB] = bases;
const opened = [];

/** A connected socket that records every event it receives, by name. */
async function user(who, base, path = "/chat", transports = ["websocket"]) {
  const socket = io(base + path, { auth: { token: tokens[who] }, reconnection: false, forceNew: true, transports });
  opened.push(socket);
  socket.received = {};
  socket.onAny((event, ...args) => (socket.received[event] ??= []).push(args[0]));
  await once(socket, "connect");
  return socket;
}

const got = (socket, event) => socket.received[event] ?? [];
const ids = (users) => users.map((u) => u.userId);

const scenarios = {
  async crossNode() {
    const alice = await user("alice", baseA);
    const bob = await user("bob", baseB, "/chat", ["polling"]); // long-polling on the other node
    const first = await alice.emitWithAck("chat:join-room", { roomId: "general" });
    assert.deepEqual(ids(first.users), ["u-alice"]);
    const second = await bob.emitWithAck("chat:join-room", { roomId: "general" });
    assert.deepEqual(second.users, [{ userId: "u-alice", userName: "Alice" }, { userId: "u-bob", userName: "Bob" }]);
    await until(() => got(alice, "chat:user-joined").length === 1, "alice (node A) sees bob (node B) join");
    assert.equal(got(alice, "chat:user-joined")[0].userId, "u-bob");
    await until(() => got(alice, "chat:room-users").some((e) => e.users.length === 2), "the cluster-wide room-users on node A");

    const ack = await alice.emitWithAck("chat:send-message", { roomId: "general", text: "Hola desde A" });
    await until(() => got(bob, "chat:message").length === 1, "the message on node B");
    assert.deepEqual(got(bob, "chat:message")[0], {
      id: ack.id, userId: "u-alice", userName: "Alice", roomId: "general", text: "Hola desde A", sentAt: ack.sentAt,
    });
    await bob.emitWithAck("chat:send-message", { roomId: "general", text: "Hi from B" });
    await until(() => got(alice, "chat:message").length === 1, "the reply on node A");
    assert.equal(got(alice, "chat:message")[0].text, "Hi from B");

    bob.emit("chat:typing-start", { roomId: "general" });
    await until(() => got(alice, "chat:typing").length === 1, "typing across nodes");
    assert.deepEqual(got(alice, "chat:typing")[0], { userId: "u-bob", userName: "Bob", roomId: "general", isTyping: true });

    // A second tab of alice on node B: not a new user for bob; closing it is not a leave while node A's tab stays.
    const tab2 = await user("alice2", baseB);
    const third = await tab2.emitWithAck("chat:join-room", { roomId: "general" });
    assert.deepEqual(ids(third.users), ["u-alice", "u-bob"]);
    tab2.disconnect();
    await sleep(300);
    assert.equal(got(bob, "chat:user-joined").length, 0, "alice was already in the room");
    assert.equal(got(bob, "chat:user-left").length, 0, "alice still has a tab on node A");

    // A notification posted to node B's HTTP API reaches alice's socket on node A.
    const notif = await user("alice", baseA, "/notifications");
    const posted = await fetch(baseB + "/api/notifications", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${tokens.adminKey}` },
      body: JSON.stringify({ userId: "u-alice", type: "warning", title: "Cross-node", message: "from B" }),
    });
    assert.equal(posted.status, 202);
    const { id, delivered, scope } = await posted.json();
    assert.equal(delivered, 1);
    assert.equal(scope, "cluster");
    await until(() => got(notif, "notification:new").length === 1, "the notification on node A");
    assert.equal(got(notif, "notification:new")[0].id, id);

    alice.disconnect();
    await until(() => got(bob, "chat:user-left").length === 1, "bob sees alice's last tab go");
    assert.equal(got(bob, "chat:user-left")[0].userId, "u-alice");
  },
};

await runScenario(scenarios, name, opened, `chatcluster ${name}`);
