// Scale-out across two FastRealtime nodes sharing Redis: socket.io-client sockets on node A and node B in one room of
// the test gateway (namespace "/test"); room messages cross nodes, each socket gets each message exactly once.
// Usage: node scaleout.mjs <base url of node A> <base url of node B>
// Exit code 0 and "ok scaleout" on success. Run by tests/FastRealtime.Tests/ScaleOut/ScaleOutDeliveryTests.cs.
import { io } from "socket.io-client";
import { assert, once, until, runScenario } from "./lib.mjs";

const [, , baseA, baseB] = process.argv;
const opened = [];

const member = async (base, user, transports) => {
  const socket = io(base + "/test", { reconnection: false, forceNew: true, transports, auth: { user } });
  opened.push(socket);
  socket.texts = [];
  socket.on("msg", (text) => socket.texts.push(text));
  await once(socket, "connect");
  assert.equal(await socket.emitWithAck("join", { room: "r" }), "Joined");
  return socket;
};

const scenarios = {
  async scaleout() {
    const ann = await member(baseA, "ann", ["websocket"]);
    const bob = await member(baseB, "bob", ["websocket"]);
    const cid = await member(baseB, "cid", ["polling"]);

    // From A: ann included (to-room-all); then a fence from B once B's members have it, then one from A again.
    assert.equal(await ann.emitWithAck("to-room-all", { room: "r", text: "hello from A" }), 1);
    await until(() => bob.texts.length === 1 && cid.texts.length === 1, "the message on node B");
    assert.equal(await bob.emitWithAck("to-room-all", { room: "r", text: "fence B" }), 2);
    await until(() => ann.texts.length === 2, "node B's fence on node A");
    assert.equal(await ann.emitWithAck("to-room-all", { room: "r", text: "fence A" }), 1);
    await until(() => bob.texts.length === 3 && cid.texts.length === 3, "node A's fence on node B");
    // From B, except the sender: reaches A, not bob.
    assert.equal(await bob.emitWithAck("to-room", { room: "r", text: "from bob" }), 1);
    await until(() => ann.texts.length === 4 && cid.texts.length === 4, "bob's message");
    assert.equal(await ann.emitWithAck("to-room-all", { room: "r", text: "end" }), 1);
    await until(() => bob.texts.length === 4 && cid.texts.length === 5, "the end marker on node B");

    const expected = ["hello from A", "fence B", "fence A", "from bob", "end"];
    assert.deepEqual(ann.texts, expected);
    assert.deepEqual(cid.texts, expected);
    assert.deepEqual(bob.texts, expected.filter((t) => t !== "from bob"));
  },
};

await runScenario(scenarios, "scaleout", opened);
