// Drives FastRealtime's /echo with the `ws` npm client (a peer nobody here wrote) and reports one case as JSON.
// Usage: node ws-client.mjs <ws-url> <case>
// Prints {"case": ..., "ok": true|false, "detail": ...} and exits 0 only when the case passed. Any `error` event
// (ws rejecting one of our frames: masking, RSV bits, bad UTF-8, bad close code...) fails the case.
// WS_TIMEOUT_MS overrides the internal 20 s timeout; WS_TRACE=1 logs every event and socket read to stderr.
import { WebSocket } from 'ws';
import { randomBytes } from 'node:crypto';

const [url, name] = process.argv.slice(2);
const TIMEOUT_MS = Number(process.env.WS_TIMEOUT_MS ?? 20_000);

function open() {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url); // offers permessage-deflate, which the server must simply not accept
    ws.binaryType = 'nodebuffer';
    if (process.env.WS_TRACE) for (const e of ['message', 'close', 'error', 'pong', 'ping']) ws.on(e, (...a) => console.error(Date.now(), e, a.map(String).join(' ').slice(0, 80)));
    ws.once('open', () => {
      if (process.env.WS_TRACE) for (const e of ['data', 'end', 'close', 'finish']) ws._socket.on(e, (d) => console.error(Date.now(), 'socket', e, d && d.length !== undefined ? Buffer.from(d).toString('hex').slice(0, 40) : ''));
      resolve(ws);
    });
    ws.once('error', reject);
  });
}

// Resolves with the next message; rejects on an error or an early close.
function nextMessage(ws) {
  return new Promise((resolve, reject) => {
    const cleanup = () => { ws.off('message', onMessage); ws.off('error', onError); ws.off('close', onClose); };
    const onMessage = (data, isBinary) => { cleanup(); resolve({ data, isBinary }); };
    const onError = (err) => { cleanup(); reject(err); };
    const onClose = (code) => { cleanup(); reject(new Error(`closed with ${code} before a message`)); };
    ws.on('message', onMessage);
    ws.once('error', onError);
    ws.once('close', onClose);
  });
}

function closed(ws) {
  return new Promise((resolve, reject) => {
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    ws.once('error', reject);
  });
}

function expect(condition, detail) {
  if (!condition) throw new Error(detail);
}

async function echoed(ws, payload, binary) {
  const reply = nextMessage(ws);
  ws.send(payload, { binary });
  const { data, isBinary } = await reply;
  expect(isBinary === binary, `expected ${binary ? 'binary' : 'text'}, got ${isBinary ? 'binary' : 'text'}`);
  expect(Buffer.compare(data, Buffer.from(payload)) === 0, `payload differs (${data.length} bytes back, ${Buffer.from(payload).length} sent)`);
}

async function closeNormally(ws) {
  const done = closed(ws);
  ws.close(1000, 'done');
  const { code } = await done;
  expect(code === 1000, `close handshake ended with ${code}`);
}

const cases = {
  async text(ws) {
    await echoed(ws, 'héllo wörld 😀', false);
    return closeNormally(ws);
  },
  async binary(ws) {
    await echoed(ws, Buffer.from([0, 1, 2, 253, 254, 255]), true);
    return closeNormally(ws);
  },
  async large(ws) {
    await echoed(ws, randomBytes(1024 * 1024), true); // exactly the default MaxMessageSize
    return closeNormally(ws);
  },
  async empty(ws) {
    await echoed(ws, Buffer.alloc(0), true);
    await echoed(ws, '', false);
    return closeNormally(ws);
  },
  async fragmented(ws) {
    const reply = nextMessage(ws);
    ws.send('frag', { fin: false });
    ws.send('men', { fin: false });
    ws.send('ted ✓', { fin: true });
    const { data, isBinary } = await reply;
    expect(!isBinary && data.toString() === 'fragmented ✓', `got ${data.toString()}`);
    return closeNormally(ws);
  },
  async ordered(ws) {
    const received = [];
    const all = new Promise((resolve, reject) => {
      ws.on('message', (data) => { received.push(data.toString()); if (received.length === 200) resolve(); });
      ws.once('error', reject);
    });
    for (let i = 0; i < 200; i++) ws.send(`message ${i}`);
    await all;
    received.forEach((text, i) => expect(text === `message ${i}`, `message ${i} arrived as '${text}'`));
    return closeNormally(ws);
  },
  async ping(ws) {
    const payload = Buffer.from('are you there?');
    const pong = new Promise((resolve) => ws.once('pong', resolve));
    ws.ping(payload);
    const data = await pong;
    expect(Buffer.compare(data, payload) === 0, `pong carried '${data.toString()}'`);
    return closeNormally(ws);
  },
  async 'close-code'(ws) {
    const done = closed(ws);
    ws.close(4321, 'custom reason');
    const { code } = await done;
    expect(code === 4321, `server answered close 4321 with ${code}`);
  },
  async 'close-invalid-utf8'(ws) {
    const done = closed(ws);
    ws.send(Buffer.from([0x48, 0xff, 0x49]), { binary: false }); // ws sends text bytes as given
    const { code } = await done;
    expect(code === 1007, `invalid UTF-8 text closed with ${code}, expected 1007`);
  },
  async 'close-too-big'(ws) {
    const done = closed(ws);
    ws.send(Buffer.alloc(1024 * 1024 + 1), { binary: true });
    const { code } = await done;
    expect(code === 1009, `an over-limit message closed with ${code}, expected 1009`);
  },
};

function report(ok, detail) {
  process.stdout.write(JSON.stringify({ case: name, ok, detail }) + '\n');
  process.exit(ok ? 0 : 1);
}

if (!url || !cases[name]) report(false, `usage: node ws-client.mjs <url> <${Object.keys(cases).join('|')}>`);
setTimeout(() => report(false, `timed out after ${TIMEOUT_MS} ms`), TIMEOUT_MS).unref();
try {
  const ws = await open();
  await cases[name](ws);
  report(true, 'passed');
} catch (err) {
  report(false, String(err && err.stack || err));
}
