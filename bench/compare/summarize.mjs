// Reads one run.sh run (raw/<stamp>/*.meta.json + *.loadgen.json), prints the comparison table and
// writes bench/results/<stamp>.{json,md} and latest.{json,md}; with --docs FILE it also replaces the
// table between the markers in docs/BENCHMARKS.md.
//   node summarize.mjs --raw DIR --out DIR --stamp STAMP --mode full|quick --rounds R [--docs FILE]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatNumber, median, textTable } from '../shared/report.mjs';

const DOCS_BEGIN = '<!-- compare:latest:begin -->';
const DOCS_END = '<!-- compare:latest:end -->';
const REFERENCE = 'fastrealtime';

// Issue 8 targets: FastRealtime median / peer median (throughput), or bytes per idle connection.
const TARGETS = [
  { scenario: /^echo-/, peer: 'kestrel', min: 2 },
  { scenario: /^echo-/, peer: 'node-ws', min: 2.5 },
  { scenario: /^broadcast-/, peer: 'kestrel', min: 5 },
  { scenario: /^broadcast-/, peer: 'signalr', min: 5 },
  { scenario: /^broadcast-/, peer: 'node-ws', min: 15 },
  { scenario: /^sio-broadcast-/, peer: 'node-socketio', min: 10 },
];
const IDLE_BYTES_TARGET = 1024;
const LOADGEN_BUSY_NOTE = 0.85; // share of its CPUs above which a row says the load generator may have limited it
const HEADERS = ['Scenario', 'Server', 'Runs ok', 'Median msg/s', 'FastRealtime ×', 'Target', 'CPU s / M msgs', 'RSS / idle conn', 'Note'];

const args = parseArgs(process.argv.slice(2));
const runs = readRuns(args.raw);
const rows = summarize(runs);
const report = {
  stamp: args.stamp,
  mode: args.mode,
  rounds: Number(args.rounds),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memoryGiB: Math.round(os.totalmem() / 2 ** 30), kernel: os.release(), node: process.version },
  rows,
  runs,
};

const markdown = renderMarkdown(report);
console.log('\n' + renderText(rows));
fs.mkdirSync(args.out, { recursive: true });
for (const name of [args.stamp, 'latest']) {
  fs.writeFileSync(path.join(args.out, `${name}.json`), JSON.stringify(report, null, 2) + '\n');
  fs.writeFileSync(path.join(args.out, `${name}.md`), markdown);
}
console.log(`\nwrote ${path.join(args.out, args.stamp)}.{json,md} and latest.{json,md}`);
if (args.docs) updateDocs(args.docs, markdown);

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  for (const required of ['raw', 'out', 'stamp', 'mode', 'rounds']) {
    if (!out[required]) throw new Error(`missing --${required}`);
  }
  return out;
}

/** One record per measured run: what run.sh saw plus the load generator's figures. */
function readRuns(dir) {
  // In the order run.sh wrote them: scenarios as listed, servers in their alternating order.
  const byWriteTime = (a, b) => fs.statSync(path.join(dir, a)).mtimeMs - fs.statSync(path.join(dir, b)).mtimeMs || a.localeCompare(b);
  return fs.readdirSync(dir).filter((f) => f.endsWith('.meta.json')).sort(byWriteTime).map((file) => {
    const meta = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    const run = { ...meta.run, status: meta.status, note: meta.note };
    if (meta.status !== 'ok') return run;
    const loadgen = JSON.parse(fs.readFileSync(path.join(dir, file.replace('.meta.json', '.loadgen.json')), 'utf8'));
    return { ...run, ...derive(run, loadgen) };
  });
}

/**
 * Throughput, server CPU per million delivered messages, RSS per idle connection. The idle figure is the settled one:
 * loadgen's end-of-hold server RSS over its warmed-up baseline (a server that gives back the garbage of a connection
 * storm is measured after it did); the peak during the storm is kept beside it.
 */
function derive(run, loadgen) {
  const received = firstNumber(loadgen, ['received', 'messagesReceived', 'delivered']);
  const cpuSeconds = run.cpuTicks / run.clockTicksPerSecond;
  const rssGrowthBytes = (run.rssPeakKiB - run.rssBeforeKiB) * 1024;
  return {
    throughputPerSec: firstNumber(loadgen, ['throughputPerSec', 'throughput', 'messagesPerSec']),
    received,
    cpuSeconds,
    cpuSecondsPerMillion: received > 0 ? cpuSeconds / (received / 1e6) : null,
    rssBytesPerConnection: firstNumber(loadgen.extra ?? {}, ['serverBytesPerConnection'])
      ?? (run.connections > 0 ? rssGrowthBytes / run.connections : null),
    rssPeakBytesPerConnection: run.connections > 0 ? rssGrowthBytes / run.connections : null,
    loadgenBytesPerConnection: firstNumber(loadgen.extra ?? {}, ['loadgenBytesPerConnection']),
    loadgenCpuBusy: firstNumber(loadgen.extra ?? {}, ['loadgenCpuBusy']),
    latencyMs: loadgen.latencyMs ?? null,
    errors: loadgen.errors ?? null,
  };
}

function firstNumber(obj, keys) {
  for (const k of keys) if (typeof obj?.[k] === 'number') return obj[k];
  return null;
}

/** One row per (scenario, server): medians over the ok rounds, then ratios against FastRealtime. */
function summarize(all) {
  const groups = new Map();
  for (const r of all) {
    const key = `${r.scenario}|${r.server}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(r);
  }
  const rows = [...groups.values()].map((group) => {
    const ok = group.filter((r) => r.status === 'ok');
    const hold = group[0].scenario.startsWith('hold-');
    const loadgenBusy = median(ok.map((r) => r.loadgenCpuBusy));
    return {
      scenario: group[0].scenario,
      server: group[0].server,
      connections: group[0].connections,
      okRuns: ok.length,
      runs: group.length,
      status: ok.length > 0 ? 'ok' : group[group.length - 1].status,
      note: ok.length > 0 ? loadgenNote(loadgenBusy, hold) : group[group.length - 1].note,
      medianLoadgenCpuBusy: loadgenBusy,
      medianThroughputPerSec: hold ? null : median(ok.map((r) => r.throughputPerSec)),
      medianCpuSecondsPerMillion: hold ? null : median(ok.map((r) => r.cpuSecondsPerMillion)),
      medianRssBytesPerConnection: hold ? median(ok.map((r) => r.rssBytesPerConnection)) : null,
      medianLoadgenBytesPerConnection: hold ? median(ok.map((r) => r.loadgenBytesPerConnection)) : null,
      medianRssPeakBytesPerConnection: hold ? median(ok.map((r) => r.rssPeakBytesPerConnection)) : null,
    };
  });
  for (const row of rows) addRatioAndTarget(row, rows.find((r) => r.scenario === row.scenario && r.server === REFERENCE));
  return rows;
}

/**
 * A load generator that kept its CPUs nearly all busy may have been what limited the run: the server's msg/s is then
 * a lower bound (its CPU s / M msgs still compares the servers' costs).
 */
function loadgenNote(busy, hold) {
  if (hold || busy == null || busy < LOADGEN_BUSY_NOTE) return '';
  return `load generator ${Math.round(busy * 100)}% busy: msg/s is a lower bound`;
}

function addRatioAndTarget(row, ref) {
  row.ratio = null;
  row.target = '';
  const hold = row.scenario.startsWith('hold-');
  if (hold && row.server === REFERENCE && row.medianRssBytesPerConnection != null) {
    row.target = `≤ ${IDLE_BYTES_TARGET} B: ${row.medianRssBytesPerConnection <= IDLE_BYTES_TARGET ? 'met' : 'missed'}`;
  }
  if (!ref || row.server === REFERENCE) return;
  // Always "how many times better FastRealtime is": more messages/s, or fewer bytes per idle connection.
  row.ratio = hold
    ? divide(row.medianRssBytesPerConnection, ref.medianRssBytesPerConnection)
    : divide(ref.medianThroughputPerSec, row.medianThroughputPerSec);
  const target = TARGETS.find((t) => t.scenario.test(row.scenario) && t.peer === row.server);
  if (target) row.target = `≥ ${target.min}×: ${row.ratio == null ? 'no data' : row.ratio >= target.min ? 'met' : 'missed'}`;
}

function divide(a, b) {
  return a != null && b != null && b > 0 ? a / b : null;
}

// --- rendering ------------------------------------------------------------------------------------------

function cells(row) {
  const fmt = formatNumber;
  const rss = row.medianRssBytesPerConnection == null ? '—'
    : `${fmt(row.medianRssBytesPerConnection)} B` + (row.medianRssPeakBytesPerConnection == null ? '' : ` (peak ${fmt(row.medianRssPeakBytesPerConnection)} B)`);
  return [
    row.scenario, row.server, `${row.okRuns}/${row.runs}`,
    fmt(row.medianThroughputPerSec), row.ratio == null ? (row.server === REFERENCE ? '1' : '—') : fmt(row.ratio, 2),
    row.target, fmt(row.medianCpuSecondsPerMillion, 2), rss, row.note,
  ];
}

function renderText(rows) {
  return textTable([HEADERS, ...rows.map(cells)]);
}

function renderMarkdown(report) {
  const m = report.machine;
  const escape = (c) => String(c).replace(/\|/g, '\\|');
  return [
    `### Comparison run ${report.stamp} (${report.mode}, ${report.rounds} round(s))`,
    '',
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}. Load generator and server share the machine (loopback)${process.env.COMPARE_PINNED === '1' ? '; the server runs on CPU 0, the load generator on the other CPUs (taskset)' : ''}.`,
    '',
    `| ${HEADERS.join(' | ')} |`,
    `| ${HEADERS.map(() => '---').join(' | ')} |`,
    ...report.rows.map((row) => `| ${cells(row).map(escape).join(' | ')} |`),
    '',
    'FastRealtime × = FastRealtime median msg/s ÷ peer median msg/s; for hold rows, peer bytes per idle connection ÷ FastRealtime bytes per idle connection.',
    'CPU s / M msgs = server utime+stime over the whole load-generator run (connect, warm-up, measure) ÷ messages the clients received, in millions.',
    'RSS / idle conn = (server RSS at the end of the hold − RSS after 100 warm-up connections) ÷ connections, as the load generator samples it; (peak …) = the highest RSS seen during the hold − RSS before it, ÷ connections.',
    '',
  ].join('\n');
}

function updateDocs(file, markdown) {
  const text = fs.readFileSync(file, 'utf8');
  const begin = text.indexOf(DOCS_BEGIN);
  const end = text.indexOf(DOCS_END);
  if (begin < 0 || end < begin) {
    console.log(`${file}: markers not found, left unchanged`);
    return;
  }
  fs.writeFileSync(file, text.slice(0, begin + DOCS_BEGIN.length) + '\n' + markdown + text.slice(end));
  console.log(`updated the latest table in ${file}`);
}
