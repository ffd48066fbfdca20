#!/usr/bin/env node
// Typing latency in a real browser on a 100,000-character document: Folio's editor modules
// (DocumentSession, IndexedDbEditStore, TextareaBinding, as the editor page wires them) against a
// Yjs Y.Text bound to a textarea the same way. See README.md for what is measured.
//
//   node typing-bench.mjs [--trace FILE] [--samples 400] [--warmup 50] [--editors folio,yjs,textarea]
//                         [--seed 1] [--port 0] [--out DIR] [--chromium PATH] [--profile yes]
//                         [--save-delay MS]   (Folio's saveDelay, for a diagnostic; default its own 2 s)
//
// A static server on 127.0.0.1 (port 0: any free one) serves Folio's js/ under /folio/, its css/
// under /css/, this folder's node_modules under /node_modules/ (an import map names yjs and lib0's
// entry points), the pages under /bench/ and the trace, decompressed, at /trace.json. Each editor
// runs in its own Chromium (Debian's, through playwright-core; never a downloaded one) with a fresh
// profile, one after the other. Keys are real: page.keyboard.press. The timing happens in the page
// with performance.now() (the pages are cross-origin isolated, so its resolution is 5 µs, not 100).
// Prints a Markdown table and writes results.json (every sample) to --out.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, mkdirSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, freemem, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');
const started = performance.now();

// --- options -------------------------------------------------------------------------------------

const options = {
  trace: path.join(repo, 'server-config/traces/automerge-paper.json.gz'),
  samples: 400,
  warmup: 50,
  editors: ['folio', 'yjs', 'textarea'],
  seed: 1,
  port: 0,
  out: path.join(repo, 'server-config/target/typing-benchmark'),
  chromium: process.env.FOLIO_CHROMIUM ?? '/usr/bin/chromium',
  /** yes: CPU profiles (CDP Profiler, 100 µs sampling) of the measured phases into --out */
  profile: 'no',
  /** Folio's DocumentSession saveDelay in ms; default: the session's own (2 s). A diagnostic. */
  saveDelay: 0,
};
{
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].replace(/^--/, '').replace(/-(\w)/g, (_, c) => c.toUpperCase());
    const value = argv[++i];
    if (!(name in options) || value === undefined) {
      console.error(
        'usage: node typing-bench.mjs [--trace FILE] [--samples N] [--warmup N] [--editors folio,yjs,textarea] [--seed N] [--port N] [--out DIR] [--chromium PATH] [--profile yes] [--save-delay MS]',
      );
      process.exit(2);
    }
    if (name === 'editors') options.editors = value.split(',');
    else if (name === 'profile') options.profile = value;
    else if (['samples', 'warmup', 'seed', 'port', 'saveDelay'].includes(name)) options[name] = Number(value);
    else options[name] = path.resolve(value);
  }
  if (options.editors.some((e) => !['folio', 'yjs', 'textarea'].includes(e)))
    throw new Error('--editors takes folio, yjs, textarea');
}
const log = (/** @type {string} */ line) => console.error(`# ${line}`);

// --- static server -----------------------------------------------------------------------------

const roots = {
  '/folio/': path.join(repo, 'web/src/main/webapp/js'),
  '/css/': path.join(repo, 'web/src/main/webapp/css'),
  '/node_modules/': path.join(here, 'node_modules'),
  '/bench/': path.join(here, 'page'),
};
const types = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.html': 'text/html',
  '.css': 'text/css',
  '.json': 'application/json',
};

/**
 * yjs and lib0's bare specifiers (yjs imports 'lib0/observable' etc.): lib0's "exports" resolved
 * with the conditions a browser bundler would use, so the browser builds are the ones loaded.
 */
function importMap() {
  const conditions = ['browser', 'module', 'import', 'default'];
  /** @param {any} target @returns {string | null} */
  const resolve = (target) => {
    if (typeof target === 'string') return target;
    if (target && typeof target === 'object') {
      for (const [key, value] of Object.entries(target)) {
        if (conditions.includes(key)) {
          const found = resolve(value);
          if (found) return found;
        }
      }
    }
    return null;
  };
  /** @type {Record<string, string>} */
  const imports = { yjs: '/node_modules/yjs/dist/yjs.mjs' };
  const lib0 = JSON.parse(readFileSync(path.join(here, 'node_modules/lib0/package.json'), 'utf8'));
  for (const [entry, target] of Object.entries(lib0.exports)) {
    const file = resolve(target);
    if (!file || entry.includes('*') || !file.endsWith('.js')) continue;
    imports[path.posix.join('lib0', entry)] = path.posix.join('/node_modules/lib0', file);
  }
  return `<script type="importmap">${JSON.stringify({ imports })}</script>`;
}

const trace = (() => {
  const raw = readFileSync(options.trace);
  return raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
})();
const map = importMap();

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const headers = {
    // Cross-origin isolation: performance.now() then has 5 µs resolution instead of 100 µs.
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cache-Control': 'no-store',
  };
  if (url.pathname === '/trace.json') {
    res.writeHead(200, { ...headers, 'Content-Type': 'application/json' }).end(trace);
    return;
  }
  const prefix = Object.keys(roots).find((p) => url.pathname.startsWith(p));
  if (!prefix) {
    res.writeHead(404, headers).end();
    return;
  }
  const root = roots[prefix];
  let file = path.join(root, decodeURIComponent(url.pathname.slice(prefix.length)));
  // lib0's own relative imports carry .js; an extensionless path gets one, just in case.
  if (!existsSync(file) && existsSync(`${file}.js`)) file = `${file}.js`;
  if (!file.startsWith(root + path.sep) || !existsSync(file) || !statSync(file).isFile()) {
    res.writeHead(404, headers).end();
    return;
  }
  let body = readFileSync(file);
  if (file.endsWith('.html')) body = Buffer.from(body.toString('utf8').replace('<!-- importmap -->', map));
  res.writeHead(200, { ...headers, 'Content-Type': types[path.extname(file)] ?? 'application/octet-stream' }).end(body);
});
await new Promise((resolve) => server.listen(options.port, '127.0.0.1', () => resolve(undefined)));
const base = `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;

// --- the workload ------------------------------------------------------------------------------

/** mulberry32: the same keys and places for both editors. @param {number} seed */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
const total = options.warmup + options.samples;
const random = prng(options.seed);
/** 70 % letters typed, 30 % Backspace, each at a random place. */
const localOps = Array.from({ length: total }, () => {
  const backspace = random() < 0.3;
  const fraction = random();
  const letter = LETTERS[Math.floor(random() * LETTERS.length)];
  return { fraction, backspace, key: backspace ? 'Backspace' : letter };
});
/** The other person: 70 % one-letter inserts, 30 % one-character deletes. */
const remoteOps = Array.from({ length: total }, () => {
  const kind = random() < 0.3 ? 'delete' : 'insert';
  const fraction = random();
  const text = LETTERS[Math.floor(random() * LETTERS.length)];
  return { fraction, kind, text };
});

// --- statistics --------------------------------------------------------------------------------

/** @param {number[]} values */
function stats(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (/** @type {number} */ q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const r = (/** @type {number} */ x) => Math.round(x * 1000) / 1000;
  return {
    n: sorted.length,
    median: r(at(0.5)),
    p95: r(at(0.95)),
    p99: r(at(0.99)),
    max: r(sorted[sorted.length - 1]),
    mean: r(sorted.reduce((a, b) => a + b, 0) / sorted.length),
  };
}

// --- one editor in one browser -------------------------------------------------------------------

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** @param {'folio' | 'yjs' | 'textarea'} editor */
async function run(editor) {
  const profile = mkdtempSync(path.join(tmpdir(), `folio-typing-${editor}-`));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: options.chromium,
    args: chromiumArgs,
    headless: true,
    viewport: { width: 1280, height: 800 },
    timeout: 60_000,
  });
  /** @type {string[]} */
  const problems = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    const cdp = await context.newCDPSession(page);
    const heap = async () => {
      await cdp.send('HeapProfiler.collectGarbage');
      await cdp.send('HeapProfiler.collectGarbage');
      const { usedSize } = await cdp.send('Runtime.getHeapUsage');
      return usedSize;
    };
    const profiling = options.profile === 'yes';
    const startProfile = async () => {
      if (!profiling) return;
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    };
    const stopProfile = async (/** @type {string} */ phase) => {
      if (!profiling) return;
      const { profile } = await cdp.send('Profiler.stop');
      mkdirSync(options.out, { recursive: true });
      writeFileSync(path.join(options.out, `${editor}-${phase}.cpuprofile`), JSON.stringify(profile));
    };
    await page.goto(`${base}/bench/${editor}.html${options.saveDelay ? `?saveDelay=${options.saveDelay}` : ''}`);
    await page.waitForFunction(() => 'bench' in window, undefined, { timeout: 30_000 });
    const userAgent = await page.evaluate(() => navigator.userAgent);

    log(`${editor}: replaying the trace`);
    const prepared = await page.evaluate(() => bench.prepare());
    const heapBefore = await heap();
    const loaded = await page.evaluate(() => bench.load());
    const heapAfter = await heap();
    await page.evaluate(() => bench.makeOther());
    log(
      `${editor}: ${prepared.length} characters, replay ${prepared.replayMs} ms, load ${loaded.loadMs} ms; typing ${total} keys`,
    );

    let from = await page.evaluate(() => bench.now());
    for (let i = 0; i < localOps.length; i++) {
      const op = localOps[i];
      await page.evaluate(([fraction, backspace]) => bench.beforeKey(fraction, backspace), [op.fraction, op.backspace]);
      await page.keyboard.press(op.key);
      if (i === options.warmup - 1) {
        from = await page.evaluate(() => bench.now());
        await startProfile();
      }
    }
    await stopProfile('local');
    const local = await page.evaluate((warmup) => bench.localSamples(warmup), options.warmup);
    let to = await page.evaluate(() => bench.now());
    const localLongTasks = await page.evaluate(([a, b]) => bench.longTasks(a, b), [from, to]);
    if (local.total !== total || local.keydowns !== total) {
      throw new Error(`${editor}: ${total} keys pressed, ${local.keydowns} keydowns and ${local.total} timed inputs`);
    }

    log(`${editor}: ${total} remote edits`);
    from = await page.evaluate(() => bench.now());
    await startProfile();
    const remoteAll = await page.evaluate((ops) => bench.remote(ops), remoteOps);
    await stopProfile('remote');
    to = await page.evaluate(() => bench.now());
    const remoteLongTasks = await page.evaluate(([a, b]) => bench.longTasks(a, b), [from, to]);
    const remote = remoteAll.slice(options.warmup);

    const saveCost = editor === 'folio' ? await page.evaluate(() => bench.saveCost()) : null;
    const check = await page.evaluate(() => bench.check());
    if (!check.converged) problems.push('the field and the two copies differ at the end');

    /** @param {Array<Record<string, any>>} samples @param {string} field */
    const column = (samples, field) => samples.map((s) => s[field]);
    const byType = (/** @type {string} */ type) => local.samples.filter((s) => s.type === type);
    return {
      editor,
      userAgent,
      prepared,
      loaded,
      heap: { beforeLoadBytes: heapBefore, afterLoadBytes: heapAfter, documentBytes: heapAfter - heapBefore },
      local: {
        input: stats(column(local.samples, 'input')),
        layout: stats(column(local.samples, 'layout')),
        browser: stats(column(local.samples, 'browser')),
        fieldEdit: stats(column(local.samples, 'fieldEdit')),
        editor: stats(column(local.samples, 'editor')),
        queued: stats(column(local.samples, 'queued')),
        insert: stats(column(byType('insertText'), 'input')),
        backspace: stats(column(byType('deleteContentBackward'), 'input')),
        longTasks: localLongTasks,
      },
      remote: {
        handled: stats(column(remote, 'handled')),
        layout: stats(column(remote, 'layout')),
        crdt: stats(column(remote, 'crdt')),
        field: stats(column(remote, 'field')),
        insert: stats(
          column(
            remote.filter((s) => s.kind === 'insert'),
            'handled',
          ),
        ),
        delete: stats(
          column(
            remote.filter((s) => s.kind === 'delete'),
            'handled',
          ),
        ),
        longTasks: remoteLongTasks,
      },
      saveCost,
      check,
      problems: [...new Set(problems)],
      samples: { local: local.samples, remote },
    };
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

// --- main --------------------------------------------------------------------------------------

const version = (/** @type {string} */ name) =>
  JSON.parse(readFileSync(path.join(here, 'node_modules', name, 'package.json'), 'utf8')).version;
const git = (/** @type {string[]} */ args) => {
  try {
    return execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '?';
  }
};
const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
const dirty = git(['status', '--porcelain', '--', 'web/src/main/webapp/js']);
const commit = git(['rev-parse', 'HEAD']);
const date = new Date().toISOString();
log(
  `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, playwright-core ${version('playwright-core')}, yjs ${version('yjs')}; load average ${loadBefore}`,
);
log(
  `folio commit ${commit.slice(0, 7)}${dirty ? ' + uncommitted changes in web/src/main/webapp/js' : ''}; serving on ${base}`,
);
log(
  `${options.samples} samples per measurement after ${options.warmup} warm-up; trace ${path.basename(options.trace)}`,
);

/** @type {Record<string, any>} */
const results = {};
try {
  for (const editor of options.editors) results[editor] = await run(/** @type {any} */ (editor));
} finally {
  server.close();
}
const loadAfter = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

// --- report ------------------------------------------------------------------------------------

const ms = (/** @type {{median: number, p95: number, p99: number, max: number}} */ s) =>
  [s.median, s.p95, s.p99, s.max].map((x) => x.toFixed(2)).join(' / ');
const ratio = (/** @type {any} */ a, /** @type {any} */ b) =>
  ['median', 'p95', 'p99', 'max'].map((k) => (a[k] / b[k]).toFixed(2) + '×').join(' / ');
const mib = (/** @type {number} */ bytes) => (bytes / 2 ** 20).toFixed(1);
const both = 'folio' in results && 'yjs' in results;
const editors = Object.keys(results);
const name = (/** @type {string} */ e) =>
  ({ folio: 'Folio', yjs: `Yjs ${version('yjs')}`, textarea: 'plain textarea (floor)' })[e] ?? e;
/** Folio, Yjs, their ratio, then the floor. */
const columns = [
  ...['folio', 'yjs'].filter((e) => e in results),
  ...(both ? ['ratio'] : []),
  ...('textarea' in results ? ['textarea'] : []),
];
const lines = [
  `| | ${columns.map((c) => (c === 'ratio' ? 'Folio / Yjs' : name(c))).join(' | ')} |`,
  `| --- |${columns.map(() => ' --- |').join('')}`,
];
/** @param {string} label @param {(r: any) => any} pick */
const timeRow = (label, pick) =>
  lines.push(
    `| ${label} | ${columns.map((c) => (c === 'ratio' ? ratio(pick(results.folio), pick(results.yjs)) : pick(results[c]) ? ms(pick(results[c])) : '—')).join(' | ')} |`,
  );
/** @param {string} label @param {(r: any) => number | undefined} pick @param {(x: number) => string} show */
const valueRow = (label, pick, show) =>
  lines.push(
    `| ${label} | ${columns
      .map((c) => {
        if (c === 'ratio') {
          const [a, b] = [pick(results.folio), pick(results.yjs)];
          return a === undefined || b === undefined ? '—' : `${(a / b).toFixed(2)}×`;
        }
        const v = pick(results[c]);
        return v === undefined || (c === 'textarea' && v === 0) ? '—' : show(v);
      })
      .join(' | ')} |`,
  );

timeRow('local keystroke: keydown → input handled (ms, median / p95 / p99 / max)', (r) => r.local.input);
timeRow('  the browser: keydown → input event (ms)', (r) => r.local.browser);
timeRow('  the editor: input listeners (ms)', (r) => r.local.editor);
timeRow('  letters typed only (ms)', (r) => r.local.insert);
timeRow('  Backspace only (ms)', (r) => r.local.backspace);
timeRow('local keystroke + forced layout (ms)', (r) => r.local.layout);
timeRow('remote edit: message → field updated (ms)', (r) => r.remote.handled);
timeRow('  the CRDT: message → change event (ms)', (r) => (r.editor === 'textarea' ? null : r.remote.crdt));
timeRow('  the field: setRangeText (ms)', (r) => r.remote.field);
timeRow('remote edit + forced layout (ms)', (r) => r.remote.layout);
valueRow(
  'replay the trace into the CRDT (ms)',
  (r) => r.prepared.replayMs,
  (x) => x.toFixed(0),
);
valueRow(
  'load: stored state → text in the field (ms)',
  (r) => r.loaded.loadMs,
  (x) => x.toFixed(1),
);
valueRow(
  "  of which reading the browser's storage (ms)",
  (r) => r.prepared.claimMs,
  (x) => x.toFixed(1),
);
valueRow(
  '  of which state → CRDT in memory (ms)',
  (r) => r.prepared.fromStateMs,
  (x) => x.toFixed(1),
);
valueRow(
  'load + forced layout (ms)',
  (r) => r.loaded.loadLayoutMs,
  (x) => x.toFixed(1),
);
valueRow('JS heap after load, collected (MiB)', (r) => r.heap.afterLoadBytes, mib);
valueRow('  of which the loaded document (MiB)', (r) => r.heap.documentBytes, mib);

const table = lines.join('\n');
console.log(table);
console.log();
for (const e of editors) {
  const r = results[e];
  console.log(
    `- ${e}: ${r.prepared.length} characters${r.prepared.meanLevels ? `, ${r.prepared.meanLevels} levels per identifier` : ''}` +
      `${r.prepared.encodedBytes ? `, encoded state ${r.prepared.encodedBytes} B` : ''}; long tasks while typing ${r.local.longTasks.count}` +
      ` (max ${r.local.longTasks.maxMs.toFixed(0)} ms), while receiving ${r.remote.longTasks.count} (max ${r.remote.longTasks.maxMs.toFixed(0)} ms);` +
      ` event timestamp → keydown handler median ${r.local.queued.median.toFixed(2)} ms, p99 ${r.local.queued.p99.toFixed(2)} ms;` +
      ` converged ${r.check.converged ? 'yes' : 'NO'}${r.saveCost ? `; periodic save: to first await ${r.saveCost.stateMs} ms, packedState() ${r.saveCost.stateAndPackMs} ms, to IndexedDB commit ${r.saveCost.toCommitMs} ms` : ''}` +
      `${r.problems.length ? `; page said: ${r.problems.slice(0, 5).join(' | ')}` : ''}`,
  );
}
const seconds = (performance.now() - started) / 1000;
console.log(
  `- ${results[editors[0]]?.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? 'Chrome ?'}; load average ${loadBefore} before, ${loadAfter} after; ${seconds.toFixed(0)} s in all`,
);

mkdirSync(options.out, { recursive: true });
const file = path.join(options.out, 'results.json');
writeFileSync(
  file,
  JSON.stringify(
    {
      date,
      machine: {
        cores: cpus().length,
        memoryGiB: Math.round(totalmem() / 2 ** 30),
        freeGiB: Math.round(freemem() / 2 ** 30),
        node: process.version,
        loadBefore,
        loadAfter,
      },
      versions: { playwrightCore: version('playwright-core'), yjs: version('yjs'), lib0: version('lib0') },
      folio: { commit, uncommittedJs: dirty || null },
      options: { ...options, localOps: localOps.length, remoteOps: remoteOps.length },
      seconds,
      table,
      results,
    },
    null,
    1,
  ),
);
log(`results in ${file}`);
if (editors.some((e) => !results[e].check.converged)) process.exitCode = 1;
