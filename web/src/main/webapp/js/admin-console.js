// The admin console, /admin.html (group `admin`): the page where Folio is run. Panels for the
// cluster's nodes, the event pipeline, the last hour's charts, compaction, documents
// (admin-documents.js), users, the audit log, this node's sessions and limits, all fed by the
// admin API (admin-api.js). The nodes, the pipeline, the charts and the documents' sessions are
// pushed by the node over server-sent events (admin-live.js); while that stream is down, and for
// the rest (the document list, the audit log), the page polls every few seconds while the box is
// ticked and the page is visible. Every action is confirmed, and lands in the audit log, which
// the page shows. Anyone else gets 403 from the API, and the page says the console needs the
// admin role.
//
// DOM: #auto-refresh (checkbox), #refreshed, #live[data-live=true|false]; #message (what the last action did);
// #problem[data-code] (forbidden, error); #admin-users tbody tr[data-user-id]
// (button.sign-out-everywhere, .done); #admin-limits tbody tr[data-limit]; #admin-sessions;
// #run-compaction, #compaction-result; #audit-newer, #audit-older; the panels' own in
// admin-panels.js and admin-documents.js.

import { appRoot, signedInPage } from './account.js';
import { AdminApi, ApiError } from './admin-api.js';
import { actionButton, body, element, tableRow } from './admin-dom.js';
import { DocumentsPanel } from './admin-documents.js';
import { showAudit, showLastCompaction, showNodes, showPipeline } from './admin-panels.js';
import { LiveStream } from './admin-live.js';
import { Charts } from './admin-charts.js';

/** Node statuses come every 5 s; refreshing as often shows each soon after it arrives. */
const REFRESH_MILLIS = 5000;
const AUDIT_PAGE = 20;

const problem = element('problem');
const main = element('console');
const message = element('message');
const root = appRoot();

const page = await signedInPage({ root });
if (page) {
  const api = new AdminApi(page.auth);
  let auditOffset = 0;

  const loadAudit = async () => {
    const audit = await api.audit(auditOffset, AUDIT_PAGE);
    showAudit(audit, AUDIT_PAGE, Date.now());
    showLastCompaction(audit.entries, Date.now());
  };
  const documents = new DocumentsPanel(api, root, tell, loadAudit);

  const charts = new Charts(root);
  const live = new LiveStream(api, root, {
    history: (history) => charts.start(history, '').catch(failed),
    tick: (tick) => {
      const now = Date.parse(tick.at);
      showNodes(tick.nodes, now);
      showPipeline(tick.pipeline);
      documents.showSessions(tick.sessions);
      element('charts-node').textContent = tick.pipeline.node;
      charts.add(tick.sample).catch(failed);
      element('refreshed').textContent = `Updated ${new Date(now).toLocaleTimeString()}`;
    },
    state: (on) => {
      const label = element('live');
      label.dataset.live = String(on);
      label.textContent = on ? 'Live' : 'Polling';
      label.title = on
        ? 'nodes, pipeline, charts and sessions are pushed by the server every 2 s'
        : 'the live stream is down: the page polls, and tries the stream again in 30 s';
    },
  });

  /**
   * Everything that changes: the documents and the audit log's page; the nodes and the pipeline
   * too while the live stream is down.
   */
  const refreshLive = async () => {
    const now = Date.now();
    if (!live.live) {
      const [nodes, pipeline] = await Promise.all([api.nodes(), api.pipeline()]);
      showNodes(nodes, now);
      showPipeline(pipeline);
      element('refreshed').textContent = `Updated ${new Date(now).toLocaleTimeString()}`;
    }
    await Promise.all([documents.refresh(), loadAudit()]);
  };

  /** The first load also brings what changes rarely: users, limits, sessions. */
  const load = async () => {
    try {
      const [users, limits, sessions] = await Promise.all([api.users(), api.limits(), api.sessions()]);
      documents.setUsers(users);
      showUsers(users, api);
      showPairs(element('admin-limits'), limits, 'limit');
      showPairs(element('admin-sessions'), sessions, 'key');
      await refreshLive();
      problem.hidden = true;
      main.hidden = false;
    } catch (e) {
      failed(e);
    }
  };

  let refreshing = false;
  setInterval(async () => {
    const auto = /** @type {HTMLInputElement} */ (element('auto-refresh'));
    if (!auto.checked || refreshing || document.hidden || main.hidden) return;
    refreshing = true;
    try {
      await refreshLive();
      problem.hidden = true;
    } catch (e) {
      failed(e);
    } finally {
      refreshing = false;
    }
  }, REFRESH_MILLIS);

  element('reload').addEventListener('click', load);
  element('audit-newer').addEventListener('click', () => {
    auditOffset = Math.max(0, auditOffset - AUDIT_PAGE);
    loadAudit().catch(failed);
  });
  element('audit-older').addEventListener('click', () => {
    auditOffset += AUDIT_PAGE;
    loadAudit().catch(failed);
  });
  const compact = actionButton(
    'Compact every document now',
    'run-compaction',
    async () => {
      const result = element('compaction-result');
      result.textContent = 'Compacting…';
      try {
        const run = await api.compact();
        result.textContent = `${run.documents} documents looked at, ${run.archivedEvents} events moved into ${run.archives} archives, ${run.failures} failures.`;
      } catch (e) {
        result.textContent = `The run failed: ${/** @type {Error} */ (e).message}.`;
      }
      await loadAudit().catch(failed);
    },
    'Compact every document now, on this node? It moves old events from DynamoDB to S3, and may take a while.',
  );
  compact.id = 'run-compaction';
  element('compaction-action').append(compact);
  await load();
  if (!main.hidden) live.open();
}

/** @param {unknown} e */
function failed(e) {
  if (e instanceof ApiError && e.status === 403) {
    main.hidden = true;
    say('forbidden', 'This console needs the admin role. Ask an administrator if you need it.');
  } else {
    say('error', `The console cannot be shown: ${/** @type {Error} */ (e).message}.`);
  }
}

/** What the last action did, until the next one. @param {string} text */
function tell(text) {
  message.textContent = text;
  message.hidden = false;
}

/** @param {Array<{id: string, name: string}>} users @param {AdminApi} api */
function showUsers(users, api) {
  const sorted = [...users].sort((a, b) => a.name.localeCompare(b.name));
  body('admin-users').replaceChildren(
    ...sorted.map((user) => {
      const done = document.createElement('span');
      done.className = 'done';
      const button = actionButton(
        'Sign out everywhere',
        'sign-out-everywhere',
        async () => {
          try {
            await api.signOut(user.id);
            done.textContent = ' Signed out';
          } catch (e) {
            done.textContent = ` Not signed out: ${/** @type {Error} */ (e).message}`;
          }
        },
        `Sign ${user.name} out on every device? Their open pages stop saving until they sign in again.`,
      );
      const id = document.createElement('code');
      id.textContent = user.id;
      const actions = document.createElement('span');
      actions.append(button, done);
      return tableRow([user.name, id, actions], { userId: user.id });
    }),
  );
}

/**
 * A JSON object as a table of name and value (the limits, the sessions: whatever the server
 * counts, shown as it says it).
 * @param {HTMLElement} table @param {Record<string, unknown>} values @param {string} data the rows' data- attribute
 */
function showPairs(table, values, data) {
  /** @type {HTMLElement} */ (table.querySelector('tbody')).replaceChildren(
    ...Object.entries(values).map(([name, value]) => tableRow([name, display(value)], { [data]: name })),
  );
}

/** @param {unknown} value */
function display(value) {
  if (typeof value === 'number') return value.toLocaleString();
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** @param {string} code @param {string} text */
function say(code, text) {
  problem.dataset.code = code;
  problem.textContent = text;
  problem.hidden = false;
}
