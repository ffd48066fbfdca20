#!/usr/bin/env node
// Reads the JSON lines of LoadBenchmark.java and load-bench.mjs (files given as arguments) and
// prints, per scenario, a Markdown table with one column per server and the ratios
// Folio / each other server. Ratios are measurements, never pass/fail.
//   node summarize.mjs folio.jsonl y-websocket.jsonl hocuspocus.jsonl hocuspocus-sqlite.jsonl
import { readFileSync } from 'node:fs';

const lines = process.argv
  .slice(2)
  .flatMap((file) => readFileSync(file, 'utf8').split('\n'))
  .filter((line) => line.startsWith('{'))
  .map((line) => JSON.parse(line));
const servers = [...new Set(lines.map((l) => l.server))];
const idle = Object.fromEntries(lines.filter((l) => l.scenario === 'idle').map((l) => [l.server, l.serverRssMiB]));
const results = lines.filter((l) => l.scenario !== 'idle');
const scenarios = [...new Set(results.map((l) => l.scenario))];
const find = (server, scenario) => results.find((l) => l.server === server && l.scenario === scenario);
const cpuPerDelta = (r) => (r.ackedPerSecond > 0 ? ((r.serverCpuCores + r.dbCpuCores) * 1000) / r.ackedPerSecond : NaN);
const fixed = (x, digits = 1) => (Number.isFinite(x) && x >= 0 ? x.toFixed(digits) : '—');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && a >= 0 && b > 0 ? `${(a / b).toFixed(2)}×` : '—');

const rows = [
  ['acked deltas/s', (r) => fixed(r.ackedPerSecond, 0) + (r.targetPerSecond ? ` of ${r.targetPerSecond}` : '')],
  ['ack p50 / p95 / p99 (ms)', (r) => `${fixed(r.ackP50Ms)} / ${fixed(r.ackP95Ms)} / ${fixed(r.ackP99Ms)}`],
  ['broadcast p50 / p99 (ms)', (r) => `${fixed(r.broadcastP50Ms)} / ${fixed(r.broadcastP99Ms)}`],
  ['deliveries/s (to other clients)', (r) => fixed(r.deliveriesPerSecond, 0)],
  ['server RSS peak / end (MiB)', (r) => `${r.serverRssPeakMiB} / ${r.serverRssMiB}`],
  [
    'server CPU (cores)',
    (r) =>
      r.dbCpuCores > 0
        ? `${fixed(r.serverCpuCores, 2)} + PostgreSQL ${fixed(r.dbCpuCores, 2)}`
        : fixed(r.serverCpuCores, 2),
  ],
  ['server CPU per acked delta (ms)', (r) => fixed(cpuPerDelta(r), 2)],
  ['client CPU (cores)', (r) => fixed(r.clientCpuCores, 2)],
  [
    "other processes' CPU (cores)",
    (r) => (r.otherCpuCores === undefined ? '—' : Math.max(0, r.otherCpuCores).toFixed(2)),
  ],
  [
    'all acked after the window (s) / converged / errors',
    (r) =>
      `${r.drained ? fixed(r.drainSeconds, 1) : `NO (${r.unacked} unacked)`} / ${r.converged ? 'yes' : 'NO'} / ${r.errors}`,
  ],
];

console.log(`Idle server RSS (MiB): ${servers.map((s) => `${s} ${idle[s] ?? '—'}`).join(', ')}\n`);
for (const scenario of scenarios) {
  const present = servers.filter((s) => find(s, scenario));
  const first = find(present[0], scenario);
  const what =
    first.mode === 'window'
      ? `${first.window} deltas in flight per client, as fast as acks allow`
      : `${first.rate} keystrokes/s per client`;
  console.log(
    `### ${scenario}: ${first.docs} document(s), ${first.clients} clients, ${what}, ${first.seconds} s measured\n`,
  );
  console.log(`| | ${present.join(' | ')} |`);
  console.log(`| --- | ${present.map(() => '---').join(' | ')} |`);
  for (const [label, cell] of rows) {
    console.log(`| ${label} | ${present.map((s) => cell(find(s, scenario))).join(' | ')} |`);
  }
  const folio = find('folio', scenario);
  if (folio) {
    console.log('');
    for (const other of present.filter((s) => s !== 'folio')) {
      const r = find(other, scenario);
      console.log(
        `- Folio / ${other}: throughput ${ratio(folio.ackedPerSecond, r.ackedPerSecond)}, ` +
          `ack p50 ${ratio(folio.ackP50Ms, r.ackP50Ms)}, p99 ${ratio(folio.ackP99Ms, r.ackP99Ms)}, ` +
          `broadcast p50 ${ratio(folio.broadcastP50Ms, r.broadcastP50Ms)}, p99 ${ratio(folio.broadcastP99Ms, r.broadcastP99Ms)}, ` +
          `RSS peak ${ratio(folio.serverRssPeakMiB, r.serverRssPeakMiB)}, CPU per delta ${ratio(cpuPerDelta(folio), cpuPerDelta(r))}`,
      );
    }
  }
  console.log('');
}
console.log(
  'Ratios are Folio divided by the other server: above 1 means more throughput, or more latency, memory or CPU.',
);
