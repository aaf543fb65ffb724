// Seed 001's client (shared/seeds/001): the npm `ws` package sends the seed's exact messages to the demo gateway
// on "/" and prints every message it receives, one per line, then closes.
//   node seed001-client.mjs PORT
import WebSocket from 'ws';

const port = Number(process.argv[2]);
const expected = 5; // events → 1, 2, 3; identity → 42; identity → {"nested":...}
const ws = new WebSocket(`ws://127.0.0.1:${port}`);
let received = 0;

const timer = setTimeout(() => {
  console.error(`timed out after ${received} messages`);
  process.exit(2);
}, 10000);

ws.on('open', function open() {
  console.log('connected');
  ws.send(JSON.stringify({ event: 'events', data: 'hello world' }));
  ws.send(JSON.stringify({ event: 'identity', data: 42 }));
  ws.send(JSON.stringify({ event: 'identity', data: { nested: ['ü', 1.5, null, true] } }));
});

ws.on('message', function incoming(data, isBinary) {
  console.log(`${isBinary ? 'binary' : 'text'} ${data}`);
  if (++received === expected) ws.close(1000);
});

ws.on('close', (code) => {
  clearTimeout(timer);
  console.log(`closed ${code}`);
});

ws.on('error', (error) => {
  console.error(error.message);
  process.exit(1);
});
