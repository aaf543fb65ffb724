#!/usr/bin/env node
// Turns BenchmarkDotNet's GitHub-flavoured reports into the rows of docs/MICROBENCHMARKS.md:
//   node bench/FastRealtime.Benchmarks/tabulate.mjs [ARTIFACTS_DIR]   (default ./BenchmarkDotNet.Artifacts)
// One row per benchmark case: suite (the class without "Benchmarks"), method, [Params] values, mean, allocated ("-" is 0 B).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const results = join(process.argv[2] ?? 'BenchmarkDotNet.Artifacts', 'results');
// Columns BenchmarkDotNet adds that are not [Params]: statistics, ratios, GC counts, job characteristics.
const notParams = new Set(['Method', 'Mean', 'Error', 'StdDev', 'Median', 'Ratio', 'RatioSD', 'Gen0', 'Gen1', 'Gen2',
  'Allocated', 'Alloc Ratio', 'Job', 'Toolchain', 'IterationCount', 'LaunchCount', 'WarmupCount', 'Categories']);

const cells = (line) => line.split('|').slice(1, -1).map((c) => c.trim());

const rows = [];
const notRun = new Set();
for (const file of readdirSync(results).filter((f) => f.endsWith('-report-github.md')).sort()) {
  const suite = file.replace('-report-github.md', '').split('.').pop().replace(/Benchmarks$/, '');
  const table = readFileSync(join(results, file), 'utf8').split('\n').filter((l) => l.startsWith('|'));
  if (table.length < 3) continue;
  const header = cells(table[0]);
  const column = (name) => header.indexOf(name);
  const params = header.filter((h) => !notParams.has(h));
  for (const line of table.slice(2)) {
    const c = cells(line);
    const at = (i) => (i >= 0 ? c[i].replace(/\*\*/g, '') : '');
    if (at(column('Method')) === '') continue; // the blank row BenchmarkDotNet puts between [Params] groups
    if (at(column('Mean')) === 'NA') { // did not run (a suite that needs an outside service, say)
      notRun.add(suite);
      continue;
    }
    const parameters = params.map((p) => `${p}=${at(column(p))}`).join(', ');
    const allocated = at(column('Allocated'));
    rows.push(`| ${suite} | ${at(column('Method'))} | ${parameters} | ${at(column('Mean'))} | ${allocated === '-' || allocated === '' ? '0 B' : allocated} |`);
  }
}
console.log('| suite | method | parameters | mean | allocated |');
console.log('|---|---|---|---:|---:|');
for (const row of rows) console.log(row);
if (notRun.size > 0) console.log(`\nNot run (NA): ${[...notRun].join(', ')}.`);
