// Reads one bench/scaleout/run.sh run (raw/scaleout-<stamp>/*.meta.json + *.loadgen.json), prints the table of
// medians and the ratio, and writes bench/results/scaleout-<stamp>.{json,md}.
//   node summarize.mjs --raw DIR --out DIR --stamp STAMP --mode full|quick --rounds R --pinned 0|1 --connections N --size B
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatNumber, median, textTable } from '../shared/report.mjs';

const REFERENCE = 'fastrealtime';
const PEER = 'node-socketio';
const TARGET = 3; // issue 6: cross-node broadcast at least 3× socket.io + @socket.io/redis-adapter

const args = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) args[argv[i].replace(/^--/, '')] = argv[i + 1];

const runs = fs.readdirSync(args.raw).filter((f) => f.endsWith('.meta.json')).sort().map((file) => {
  const meta = JSON.parse(fs.readFileSync(path.join(args.raw, file), 'utf8'));
  const loadgenFile = path.join(args.raw, file.replace('.meta.json', '.loadgen.json'));
  const result = fs.existsSync(loadgenFile) ? JSON.parse(fs.readFileSync(loadgenFile, 'utf8')) : null;
  const errors = result ? Object.values(result.errors ?? {}).reduce((a, b) => a + b, 0) : null;
  const consistent = result ? result.extra?.deliveries === result.extra?.expectedDeliveries && errors === 0 : false;
  const cpuSeconds = meta.cpuTicks ? (meta.cpuTicks.nodeA + meta.cpuTicks.nodeB) / meta.clockTicksPerSecond : null;
  const redisCpuSeconds = meta.cpuTicks ? meta.cpuTicks.redis / meta.clockTicksPerSecond : null;
  return {
    server: meta.server,
    round: meta.round,
    ok: meta.status === 'ok' && consistent,
    status: meta.status,
    deliveriesPerSec: result?.throughputPerSec ?? null,
    publishes: result?.extra?.publishes ?? null,
    deliveries: result?.extra?.deliveries ?? null,
    expectedDeliveries: result?.extra?.expectedDeliveries ?? null,
    errors: result?.errors ?? null,
    latencyP50Ms: result?.latencyMs?.p50 ?? null,
    latencyP99Ms: result?.latencyMs?.p99 ?? null,
    // Whole run (connect, warm-up, drain included) over every delivery of the run: a comparison, not an absolute cost.
    nodesCpuSecondsPerMillion: cpuSeconds !== null && result?.extra?.deliveries ? (cpuSeconds * 1e6) / result.extra.deliveries : null,
    redisCpuSecondsPerMillion: redisCpuSeconds !== null && result?.extra?.deliveries ? (redisCpuSeconds * 1e6) / result.extra.deliveries : null,
    loadgenArgs: meta.loadgenArgs,
  };
});

const rows = [REFERENCE, PEER].map((server) => {
  const mine = runs.filter((r) => r.server === server);
  const ok = mine.filter((r) => r.ok);
  return {
    server,
    runsOk: `${ok.length}/${mine.length}`,
    medianDeliveriesPerSec: median(ok.map((r) => r.deliveriesPerSec)),
    perRound: mine.map((r) => (r.ok ? Math.round(r.deliveriesPerSec) : null)),
    medianP50Ms: median(ok.map((r) => r.latencyP50Ms)),
    medianP99Ms: median(ok.map((r) => r.latencyP99Ms)),
    nodesCpuSecondsPerMillion: median(ok.map((r) => r.nodesCpuSecondsPerMillion)),
    redisCpuSecondsPerMillion: median(ok.map((r) => r.redisCpuSecondsPerMillion)),
  };
});
const [reference, peer] = rows;
const ratio = reference.medianDeliveriesPerSec && peer.medianDeliveriesPerSec
  ? reference.medianDeliveriesPerSec / peer.medianDeliveriesPerSec : null;

const report = {
  stamp: args.stamp,
  mode: args.mode,
  rounds: Number(args.rounds),
  setup: {
    nodes: 2,
    connections: Number(args.connections),
    sizeBytes: Number(args.size),
    publishers: 1,
    window: 16,
    pinned: args.pinned === '1',
  },
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memoryGiB: Math.round(os.totalmem() / 2 ** 30), kernel: os.release(), node: process.version },
  ratio,
  target: TARGET,
  targetMet: ratio !== null && ratio >= TARGET,
  rows,
  runs,
};

const fmt = (v, digits = 0) => formatNumber(v, digits, 'n/a');
const table = [
  ['Server (2 nodes + Redis)', 'Runs ok', 'Median deliveries/s', 'Per round', 'p50 / p99 ms', 'Nodes CPU s / M', 'Redis CPU s / M'],
  ...rows.map((r) => [r.server, r.runsOk, fmt(r.medianDeliveriesPerSec), r.perRound.map((v) => fmt(v)).join(' · '),
    `${fmt(r.medianP50Ms, 1)} / ${fmt(r.medianP99Ms, 1)}`, fmt(r.nodesCpuSecondsPerMillion, 2), fmt(r.redisCpuSecondsPerMillion, 2)]),
];
const ratioLine = `FastRealtime ÷ ${PEER} (medians): ${ratio === null ? 'n/a' : ratio.toFixed(2) + '×'} (target ≥ ${TARGET}×: ${report.targetMet ? 'met' : 'not met'})`;

const markdown = [
  `# Scale-out broadcast ${args.stamp}`,
  '',
  `2 nodes per server over one Redis (${report.machine.cpus} CPUs, ${report.machine.cpuModel}); ${report.setup.connections} Socket.IO users in one room split across both nodes, ` +
    `1 publisher on node A (window 16), ${report.setup.sizeBytes} B payloads; ${args.mode}: ${args.rounds} alternating round(s); CPU pinning ${report.setup.pinned ? 'on' : 'off'}.`,
  '',
  `| ${table[0].join(' | ')} |`,
  `| ${table[0].map(() => '---').join(' | ')} |`,
  ...table.slice(1).map((row) => `| ${row.join(' | ')} |`),
  '',
  ratioLine,
  '',
].join('\n');

console.log('\n' + textTable(table));
console.log('\n' + ratioLine);
fs.mkdirSync(args.out, { recursive: true });
const base = path.join(args.out, `scaleout-${args.stamp}`);
fs.writeFileSync(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
fs.writeFileSync(`${base}.md`, markdown);
console.log(`wrote ${base}.{json,md}`);
