// The admin console's read-only panels: the cluster's nodes, the event pipeline, compaction and the
// audit log. Each takes what the admin API answered and fills its table; the page refreshes them.
//
// DOM: #admin-nodes tbody tr[data-node][data-state=live|silent]; #admin-pipeline tbody
// tr[data-key]; #admin-refusals tbody tr[data-code]; #admin-compaction tbody tr[data-key],
// #compaction-last; #admin-audit tbody tr[data-action][data-target], #audit-position.

import { ago, bytes, count, duration, percent } from './admin-format.js';
import { body, element, span, tableRow, time } from './admin-dom.js';

/** @typedef {import('./admin-api.js').NodeInfo} NodeInfo */
/** @typedef {import('./admin-api.js').Pipeline} Pipeline */
/** @typedef {import('./admin-api.js').AuditPage} AuditPage */
/** @typedef {import('./admin-api.js').AuditEntry} AuditEntry */

/** @param {NodeInfo[]} nodes @param {number} now */
export function showNodes(nodes, now) {
  body('admin-nodes').replaceChildren(
    ...nodes.map((node) => {
      const state = node.silent ? 'silent' : 'live';
      const lag = node.eventLogStopped ? 'stopped' : count(node.eventLogLag);
      return tableRow(
        [
          node.node,
          span(state, node.silent ? 'not heard from for 15 s or more' : 'announces itself every 5 s'),
          duration(now - Date.parse(node.startedAt)),
          count(node.openDocuments),
          count(node.sessions),
          span(`${bytes(node.heapUsedBytes)} / ${bytes(node.heapMaxBytes)}`),
          percent(node.cpuLoad),
          count(node.feedLag),
          lag,
          time(node.heardAt, ago(node.heardAt, now)),
        ],
        { node: node.node, state },
      );
    }),
  );
  element('nodes-summary').textContent =
    `${nodes.filter((node) => !node.silent).length} live, ${nodes.filter((node) => node.silent).length} silent`;
}

/** @param {Pipeline} pipeline */
export function showPipeline(pipeline) {
  const writer = pipeline.eventLog;
  /** @type {Array<[string, string, string]>} key, label, value */
  const rows = [
    [
      'feed',
      'Kafka feed (reads every partition)',
      `${pipeline.feed.reading ? 'reading' : 'NOT reading'}, lag ${count(pipeline.feed.lag)}`,
    ],
    [
      'event-log',
      'Event-log writer (to DynamoDB)',
      `${writer.state}, lag ${count(writer.lag)}${writer.stoppedAt ? ` at ${writer.stoppedAt}` : ''}`,
    ],
    ['cluster-lag', 'Event-log lag, all live nodes', count(clusterLag(pipeline))],
    ['deltas', 'Deltas accepted', count(pipeline.deltasAccepted)],
    ['bridge', 'Bridge to Kafka: forwarded', count(pipeline.bridge.forwarded)],
    ['dead-lettered', 'Dead-lettered (folio.deltas.dead)', count(pipeline.bridge.deadLettered)],
    ['kafka-retries', 'Kafka send retries', count(pipeline.bridge.kafkaRetries)],
  ];
  body('admin-pipeline').replaceChildren(
    ...rows.map(([key, label, value]) => {
      const row = tableRow([label, value], { key });
      if ((key === 'event-log' && writer.state === 'stopped') || (key === 'feed' && !pipeline.feed.reading)) {
        row.classList.add('alarm');
      }
      return row;
    }),
  );
  element('pipeline-node').textContent = pipeline.node;
  const refusals = Object.entries({ ...pipeline.refusals, ...prefixed('auth ', pipeline.authRefusals) });
  body('admin-refusals').replaceChildren(
    ...(refusals.length === 0
      ? [tableRow(['none', ''])]
      : refusals.sort(([, a], [, b]) => b - a).map(([code, n]) => tableRow([code, count(n)], { code }))),
  );
  body('admin-compaction').replaceChildren(
    tableRow(['Events archived to S3', count(pipeline.compaction.archivedEvents)], { key: 'archived' }),
    tableRow(['Archives written', count(pipeline.compaction.archives)], { key: 'archives' }),
    tableRow(['Failures', count(pipeline.compaction.failures)], { key: 'failures' }),
  );
}

/** The writer's lag summed over the live nodes: each writes its own partitions. @param {Pipeline} pipeline */
function clusterLag(pipeline) {
  const live = pipeline.nodes.filter((node) => !node.silent && node.eventLogLag >= 0);
  return live.length === 0 ? -1 : live.reduce((sum, node) => sum + node.eventLogLag, 0);
}

/** @param {string} prefix @param {Record<string, number>} counts */
function prefixed(prefix, counts) {
  return Object.fromEntries(Object.entries(counts).map(([code, n]) => [prefix + code, n]));
}

/** @param {AuditPage} page @param {number} limit @param {number} now */
export function showAudit(page, limit, now) {
  body('admin-audit').replaceChildren(
    ...(page.entries.length === 0
      ? [tableRow(['Nothing yet', '', '', '', '', ''])]
      : page.entries.map((entry) =>
          tableRow(
            [time(entry.at, ago(entry.at, now)), entry.actorName, entry.action, entry.target, entry.detail, entry.node],
            { action: entry.action, target: entry.target },
          ),
        )),
  );
  const last = Math.min(page.offset + limit, page.total);
  element('audit-position').textContent =
    page.total === 0 ? '' : `${page.offset + 1}–${last} of ${page.total.toLocaleString('en')}`;
  /** @type {HTMLButtonElement} */ (element('audit-newer')).disabled = page.offset === 0;
  /** @type {HTMLButtonElement} */ (element('audit-older')).disabled = last >= page.total;
}

/** The newest compaction run in the audit log, if the page holds one. @param {AuditEntry[]} entries @param {number} now */
export function showLastCompaction(entries, now) {
  const run = entries.find((entry) => entry.action === 'compaction.run');
  const last = element('compaction-last');
  last.replaceChildren(
    ...(run
      ? ['Last run asked for here: ', time(run.at, ago(run.at, now)), ` by ${run.actorName}: ${run.detail}`]
      : []),
  );
}
