// Smoke client: proves a comparison peer implements the shared scenarios before anyone benchmarks it.
//   node smoke.mjs ws       http://127.0.0.1:PORT   raw WebSocket peer (/echo, /broadcast?room=)
//   node smoke.mjs signalr  http://127.0.0.1:PORT   SignalR JSON hub protocol on /hub
//   node smoke.mjs socketio http://127.0.0.1:PORT   Socket.IO v4, websocket transport
// Prints one line per check and "N passed, N failed"; exits non-zero on any failure.
import WebSocket from 'ws';
import { io } from 'socket.io-client';

const STEP_TIMEOUT_MS = 5000;
const [kind, base] = process.argv.slice(2);
if (!kind || !base) {
  console.error('usage: node smoke.mjs ws|signalr|socketio http://127.0.0.1:PORT');
  process.exit(2);
}
const wsBase = base.replace(/^http/, 'ws');

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await withTimeout(fn(), `${name} timed out`);
    passed++;
    console.log(`ok   ${kind} ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${kind} ${name}: ${e.message}`);
  }
}

function withTimeout(promise, message) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(message)), STEP_TIMEOUT_MS); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function healthCheck() {
  return check('GET /health -> 200', async () => {
    const res = await fetch(`${base}/health`);
    assert(res.status === 200, `status ${res.status}`);
  });
}

// --- raw WebSocket helpers -------------------------------------------------

function openWs(path) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsBase + path, { perMessageDeflate: false });
    ws.inbox = [];
    ws.waiters = [];
    ws.on('message', (data, isBinary) => {
      const msg = { data: Buffer.from(data), isBinary };
      const waiter = ws.waiters.shift();
      if (waiter) waiter(msg); else ws.inbox.push(msg);
    });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function nextMessage(ws) {
  const queued = ws.inbox.shift();
  return queued ? Promise.resolve(queued) : new Promise((resolve) => ws.waiters.push(resolve));
}

function closeAll(sockets) {
  return Promise.all(sockets.map((ws) => new Promise((resolve) => {
    if (ws.readyState === WebSocket.CLOSED) return resolve();
    ws.once('close', resolve);
    ws.close(1000);
  })));
}

async function expectEcho(ws, payload, isBinary) {
  ws.send(payload, { binary: isBinary });
  const msg = await nextMessage(ws);
  assert(msg.isBinary === isBinary, `expected ${isBinary ? 'binary' : 'text'}, got ${msg.isBinary ? 'binary' : 'text'}`);
  assert(Buffer.compare(msg.data, Buffer.from(payload)) === 0, `payload differs (${msg.data.length} vs ${Buffer.from(payload).length} bytes)`);
}

async function rawWebSocketChecks() {
  await healthCheck();

  await check('/echo text, binary, 1 KiB, 64 KiB', async () => {
    const ws = await openWs('/echo');
    await expectEcho(ws, 'hello', false);
    await expectEcho(ws, Buffer.from([0, 1, 2, 0xff]), true);
    await expectEcho(ws, 'x'.repeat(1024), false);
    await expectEcho(ws, Buffer.alloc(64 * 1024, 7), true);
    await closeAll([ws]);
  });

  await check('/broadcast reaches 3 members incl. sender, same opcode, not other rooms', async () => {
    const members = await Promise.all([1, 2, 3].map(() => openWs('/broadcast?room=smoke-a')));
    const outsider = await openWs('/broadcast?room=smoke-b');
    await sleep(100); // joins complete on the server before the first send
    for (const [payload, isBinary] of [['hi all', false], [Buffer.from([9, 8, 7]), true]]) {
      members[0].send(payload, { binary: isBinary });
      const got = await Promise.all(members.map(nextMessage));
      for (const msg of got) {
        assert(msg.isBinary === isBinary, 'opcode changed');
        assert(Buffer.compare(msg.data, Buffer.from(payload)) === 0, 'payload differs');
      }
    }
    await sleep(200);
    assert(outsider.inbox.length === 0, 'a member of another room received the broadcast');
    await closeAll([...members, outsider]);
  });

  await check('/broadcast without ?room uses the default room', async () => {
    const members = await Promise.all([1, 2].map(() => openWs('/broadcast')));
    await sleep(100);
    members[1].send('default room');
    const got = await Promise.all(members.map(nextMessage));
    assert(got.every((m) => m.data.toString() === 'default room'), 'payload differs');
    await closeAll(members);
  });
}

// --- SignalR JSON hub protocol ---------------------------------------------

const RS = '\x1e';

async function openHub() {
  const ws = await openWs('/hub');
  ws.send(JSON.stringify({ protocol: 'json', version: 1 }) + RS);
  const reply = (await nextMessage(ws)).data.toString();
  assert(reply === '{}' + RS, `handshake reply ${JSON.stringify(reply)}`);
  return ws;
}

// Returns the next hub message that is not a ping (type 6).
async function nextHubMessage(ws) {
  for (;;) {
    const text = (await nextMessage(ws)).data.toString();
    for (const record of text.split(RS).filter(Boolean)) {
      const msg = JSON.parse(record);
      if (msg.type !== 6) return msg;
    }
  }
}

async function invokeAndWait(ws, target, args, invocationId) {
  ws.send(JSON.stringify({ type: 1, invocationId, target, arguments: args }) + RS);
  const msg = await nextHubMessage(ws);
  assert(msg.type === 3 && msg.invocationId === invocationId && !msg.error, `completion expected, got ${JSON.stringify(msg)}`);
}

async function signalRChecks() {
  await healthCheck();

  await check('handshake + Echo -> caller', async () => {
    const ws = await openHub();
    ws.send(JSON.stringify({ type: 1, target: 'Echo', arguments: ['hello'] }) + RS);
    const msg = await nextHubMessage(ws);
    assert(msg.type === 1 && msg.target === 'echo' && msg.arguments[0] === 'hello', JSON.stringify(msg));
    await closeAll([ws]);
  });

  await check('Join + Broadcast reaches 3 members incl. sender', async () => {
    const members = await Promise.all([1, 2, 3].map(openHub));
    await Promise.all(members.map((ws, i) => invokeAndWait(ws, 'Join', ['smoke-a'], String(i))));
    members[0].send(JSON.stringify({ type: 1, target: 'Broadcast', arguments: ['smoke-a', 'hi all'] }) + RS);
    const got = await Promise.all(members.map(nextHubMessage));
    assert(got.every((m) => m.target === 'broadcast' && m.arguments[0] === 'hi all'), JSON.stringify(got));
    await closeAll(members);
  });

  await check('?room=NAME joins on connect', async () => {
    const ws = await openWs('/hub?room=smoke-q');
    ws.send(JSON.stringify({ protocol: 'json', version: 1 }) + RS);
    await nextMessage(ws);
    ws.send(JSON.stringify({ type: 1, target: 'Broadcast', arguments: ['smoke-q', 'via query'] }) + RS);
    const msg = await nextHubMessage(ws);
    assert(msg.target === 'broadcast' && msg.arguments[0] === 'via query', JSON.stringify(msg));
    await closeAll([ws]);
  });
}

// --- Socket.IO ----------------------------------------------------------------

function openSocketIo(query) {
  return new Promise((resolve, reject) => {
    const socket = io(base, { transports: ['websocket'], forceNew: true, reconnection: false, query });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function socketIoChecks() {
  await healthCheck();

  await check('echo with ack', async () => {
    const socket = await openSocketIo();
    const reply = await socket.timeout(STEP_TIMEOUT_MS).emitWithAck('echo', 'hello');
    assert(reply === 'hello', `ack ${JSON.stringify(reply)}`);
    socket.close();
  });

  await check('join + broadcast reaches 3 members incl. sender, not other rooms', async () => {
    const members = await Promise.all([1, 2, 3].map(() => openSocketIo()));
    const outsider = await openSocketIo({ room: 'smoke-b' });
    await Promise.all(members.map((s) => s.timeout(STEP_TIMEOUT_MS).emitWithAck('join', 'smoke-a')));
    const got = members.map((s) => new Promise((resolve) => s.once('broadcast', resolve)));
    let outsiderGot = 0;
    outsider.on('broadcast', () => outsiderGot++);
    members[0].emit('broadcast', 'smoke-a', { text: 'hi all' });
    const payloads = await Promise.all(got);
    assert(payloads.every((p) => p && p.text === 'hi all'), JSON.stringify(payloads));
    await sleep(200);
    assert(outsiderGot === 0, 'a member of another room received the broadcast');
    for (const s of [...members, outsider]) s.close();
  });
}

const suites = { ws: rawWebSocketChecks, signalr: signalRChecks, socketio: socketIoChecks };
if (!suites[kind]) {
  console.error(`unknown kind ${kind}`);
  process.exit(2);
}
await suites[kind]();
console.log(`${kind}: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
