#!/usr/bin/env node
// Reads the JSON lines of server-config/bin/benchmark-pipeline (LoadBenchmark against two Folio
// nodes with PipelineTap, then load-bench.mjs against single-process servers) and prints the
// Markdown tables of docs/benchmarks.md, "Event pipeline across two nodes": the two nodes per
// scenario, where a delta's time goes, and Folio's latencies divided by the other servers'.
// Ratios are measurements, never pass/fail.
//   node summarize-pipeline.mjs folio.jsonl y-websocket.jsonl hocuspocus.jsonl
import { readFileSync } from 'node:fs';

const lines = process.argv
  .slice(2)
  .flatMap((file) => readFileSync(file, 'utf8').split('\n'))
  .filter((line) => line.startsWith('{'))
  .map((line) => JSON.parse(line));
const idle = lines.filter((l) => l.scenario === 'idle');
const results = lines.filter((l) => l.scenario !== 'idle');
const folio = results.filter((l) => l.server === 'folio');
const others = [...new Set(results.map((l) => l.server))].filter((s) => s !== 'folio');
const find = (server, scenario) => results.find((l) => l.server === server && l.scenario === scenario);
const fixed = (x, digits = 1) => (Number.isFinite(x) && x >= 0 ? x.toFixed(digits) : '—');
const pair = (a, b, digits = 1) => `${fixed(a, digits)} / ${fixed(b, digits)}`;
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && a >= 0 && b > 0 ? `${(a / b).toFixed(1)}×` : '—');
const what = (r) =>
  `${r.docs} doc(s) × ${r.clients / r.docs} clients` +
  (r.mode === 'window' ? `, ${r.window} in flight` : ` × ${r.rate}/s`) +
  `, ${r.seconds} s`;
const table = (header, rows) => {
  console.log(`| ${header.join(' | ')} |`);
  console.log(`| ${header.map(() => '---').join(' | ')} |`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log('');
};

const folioIdle = idle.find((l) => l.server === 'folio');
console.log(
  `Idle RSS (MiB): Folio nodes ${(folioIdle?.nodesRssMiB ?? [folioIdle?.serverRssMiB]).join(' and ')}` +
    others.map((s) => `, ${s} ${idle.find((l) => l.server === s)?.serverRssMiB ?? '—'}`).join('') +
    '\n',
);
if (folioIdle?.nodeCpuCores) {
  console.log(
    `Idle CPU (cores, 5 s before any client): Folio nodes ${folioIdle.nodeCpuCores.map((c) => fixed(c, 2)).join(' + ')}, ` +
      `Artemis ${fixed(folioIdle.artemisCpuCores, 2)}, Kafka ${fixed(folioIdle.kafkaCpuCores, 2)}, ` +
      `DynamoDB Local ${fixed(folioIdle.dynamoCpuCores, 2)}, PostgreSQL ${fixed(folioIdle.dbCpuCores, 2)}; ` +
      `the whole machine ${fixed(folioIdle.machineCpuCores, 2)}\n`,
  );
}

console.log('#### Folio, two nodes: latency and throughput\n');
table(
  [
    'scenario',
    'acked deltas/s',
    'ack p50 / p99 (ms)',
    'other node p50 / p95 / p99 (ms)',
    'same node p50 / p99 (ms)',
    'acked after the window (s) / converged / errors',
  ],
  folio.map((r) => [
    `${r.scenario} (${what(r)})`,
    `${fixed(r.ackedPerSecond, 0)} of ${r.targetPerSecond}`,
    pair(r.ackP50Ms, r.ackP99Ms),
    `${fixed(r.crossNodeP50Ms)} / ${fixed(r.crossNodeP95Ms)} / ${fixed(r.crossNodeP99Ms)}`,
    r.sameNodeDeliveries > 0 ? pair(r.sameNodeP50Ms, r.sameNodeP99Ms) : '—',
    `${r.drained ? fixed(r.drainSeconds, 1) : `NO (${r.unacked} unacked)`} / ${r.converged ? 'yes' : 'NO'} / ${r.errors}`,
  ]),
);

console.log('#### Folio, two nodes: CPU (cores) and memory\n');
table(
  [
    'scenario',
    'node A + node B',
    'Artemis',
    'Kafka',
    'DynamoDB Local',
    'PostgreSQL',
    'clients',
    'other',
    'machine (of 2)',
    'CPU per acked delta (ms)',
    'RSS peak A / B (MiB)',
  ],
  folio.map((r) => {
    const server = r.serverCpuCores + r.artemisCpuCores + r.kafkaCpuCores + r.dynamoCpuCores + r.dbCpuCores;
    return [
      r.scenario,
      (r.nodeCpuCores ?? [r.serverCpuCores]).map((c) => fixed(c, 2)).join(' + '),
      fixed(r.artemisCpuCores, 2),
      fixed(r.kafkaCpuCores, 2),
      fixed(r.dynamoCpuCores, 2),
      fixed(r.dbCpuCores, 2),
      fixed(r.clientCpuCores, 2),
      fixed(Math.max(0, r.otherCpuCores), 2),
      fixed(r.machineCpuCores, 2),
      r.ackedPerSecond > 0 ? fixed((server * 1000) / r.ackedPerSecond, 2) : '—',
      (r.nodesRssPeakMiB ?? [r.serverRssPeakMiB]).join(' / '),
    ];
  }),
);

console.log('#### Where the time goes (ms, p50 / p99)\n');
table(
  [
    'scenario',
    'send → record sent to Kafka',
    'of which JMS publish + commit (mean / p99)',
    'record → read from Kafka',
    'read → other node’s client',
    'read → sender’s ack',
    'deltas per record',
    'records bridged A / B',
    'Artemis backlog growth (messages)',
    'event log items written/s',
    'feed lag max',
  ],
  folio
    .filter((r) => r.pipeline)
    .map((r) => [
      r.scenario,
      pair(r.pipeline.sendToRecord.p50Ms, r.pipeline.sendToRecord.p99Ms),
      pair(r.metrics?.publishMeanMs, r.metrics?.publishP99Ms),
      pair(r.pipeline.recordToReader.p50Ms, r.pipeline.recordToReader.p99Ms),
      pair(r.pipeline.readerToOtherNode.p50Ms, r.pipeline.readerToOtherNode.p99Ms),
      pair(r.pipeline.readerToAck.p50Ms, r.pipeline.readerToAck.p99Ms),
      fixed(r.metrics?.deltasPerPublish, 2),
      (r.metrics?.bridgeForwarded ?? []).map((x) => fixed(x, 0)).join(' / '),
      r.metrics ? `${Math.round(r.metrics.publishes - r.metrics.bridgeForwarded.reduce((a, b) => a + b, 0))}` : '—',
      r.metrics ? fixed(r.metrics.eventLogWritten / r.seconds, 0) : '—',
      `${r.metrics?.feedLagMax ?? '—'}`,
    ]),
);

if (others.length > 0) {
  console.log(
    '#### Against single-process servers (their broadcast and echo on one process; Folio across two nodes)\n',
  );
  const header = ['scenario', 'Folio other node p50 / p99 (ms)', 'Folio ack p50 / p99 (ms)'];
  for (const s of others) header.push(`${s} broadcast p50 / p99 (ms)`, `${s} echo p50 / p99 (ms)`, `${s} acked/s`);
  table(
    header,
    folio
      .filter((r) => others.some((s) => find(s, r.scenario)))
      .map((r) => {
        const row = [r.scenario, pair(r.crossNodeP50Ms, r.crossNodeP99Ms), pair(r.ackP50Ms, r.ackP99Ms)];
        for (const s of others) {
          const o = find(s, r.scenario);
          row.push(
            o ? pair(o.broadcastP50Ms, o.broadcastP99Ms) : '—',
            o ? pair(o.ackP50Ms, o.ackP99Ms) : '—',
            o ? `${fixed(o.ackedPerSecond, 0)} of ${o.targetPerSecond}` : '—',
          );
        }
        return row;
      }),
  );
  for (const r of folio) {
    for (const s of others) {
      const o = find(s, r.scenario);
      if (!o) continue;
      console.log(
        `- ${r.scenario}, Folio across nodes / ${s}: broadcast p50 ${ratio(r.crossNodeP50Ms, o.broadcastP50Ms)}, ` +
          `p99 ${ratio(r.crossNodeP99Ms, o.broadcastP99Ms)}; ack p50 ${ratio(r.ackP50Ms, o.ackP50Ms)}, ` +
          `p99 ${ratio(r.ackP99Ms, o.ackP99Ms)}; throughput ${ratio(r.ackedPerSecond, o.ackedPerSecond)}`,
      );
    }
  }
  console.log('');
  console.log('Ratios are Folio divided by the other server: above 1 means more latency (or more throughput).');
}
