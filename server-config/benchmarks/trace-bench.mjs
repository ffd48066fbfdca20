#!/usr/bin/env node
// Replays editing traces (josephg/editing-traces format) into Yjs, Automerge, lseqtree and Folio's
// browser replica (web/src/main/webapp/js, `--impl folio`, not in the default set) and prints one
// JSON line per implementation x trace. See README.md for how the fields map onto
// Folio's Java benchmark.
//
// The parent process never measures anything: it spawns one child per implementation x trace
// (node --expose-gc) so that heap deltas start from a clean process (Automerge's wasm memory
// never shrinks), a crash or runaway loop in one library cannot take down the others, and the
// budget can be enforced with a hard kill.

import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

const require = createRequire(import.meta.url);
const ALL_IMPLS = ['yjs', 'automerge', 'lseqtree'];

/** @typedef {[number, number, string]} Patch  position, numDeleted, inserted */
/**
 * As in the file, plus `utf16Txns`: the same patches with UTF-16 positions and lengths.
 * @typedef {{startContent: string, endContent: string, txns: {time?: string, patches: Patch[]}[], utf16Txns: {patches: Patch[]}[]}} Trace
 */
/**
 * One CRDT under test. `build` replays the whole trace locally; `log` yields what a second replica
 * needs (captured in an untimed pass so that capturing does not slow down the timed runs);
 * `replay` builds that second replica.
 * @typedef {object} Impl
 * @property {string} mode
 * @property {string} remoteMode
 * @property {string} encodedNote
 * @property {(trace: Trace, deadline: number, capture?: unknown[]) => Promise<any>} build
 * @property {(doc: any) => string} text
 * @property {(doc: any) => number} encodedBytes
 * @property {(trace: Trace, doc: any, deadline: number) => Promise<unknown[]>} log
 * @property {(log: unknown[], deadline: number) => Promise<any>} replay
 */

class BudgetExceeded extends Error {}

/** Checked between txns, so a single pathological txn can overrun; the parent's kill covers that. */
function checkDeadline(deadline, done, total) {
  if (performance.now() > deadline) throw new BudgetExceeded(`budget exceeded after ${done}/${total} txns`);
}

/** @param {string} file @returns {Trace} */
function loadTrace(file) {
  const raw = readFileSync(file);
  const json = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
  const trace = JSON.parse(json.toString('utf8'));
  trace.utf16Txns = utf16Txns(trace);
  return trace;
}

const cpLength = (/** @type {string} */ s) => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/**
 * Trace positions count code points but Y.Text and Automerge's JS API index UTF-16 units, so
 * non-ASCII traces get their patches rewritten once, outside any timed region.
 * @param {Trace} trace @returns {Trace['txns']}
 */
function utf16Txns(trace) {
  const ascii = (/** @type {string} */ x) => /^[\x00-\x7f]*$/.test(x);
  if (ascii(trace.startContent) && trace.txns.every((t) => t.patches.every((p) => ascii(p[2])))) return trace.txns;
  const text = [...trace.startContent];
  const units = (/** @type {number} */ from, /** @type {number} */ n) => text.slice(from, from + n).join('').length;
  return trace.txns.map((txn) => ({
    ...txn,
    patches: txn.patches.map(([pos, del, ins]) => {
      /** @type {Patch} */
      const p = [units(0, pos), units(pos, del), ins];
      text.splice(pos, del, ...ins);
      return p;
    }),
  }));
}

/** @type {Record<string, () => Promise<Impl>>} */
const IMPLS = {
  async yjs() {
    const Y = await import('yjs');
    /** @param {any} doc */
    const text = (doc) => doc.getText('text').toString();
    return {
      mode: 'Y.Text, one doc.transact per trace txn',
      remoteMode:
        "Y.applyUpdate of the updates captured via doc.on('update') (one per txn, in order) into a fresh Y.Doc",
      encodedNote: 'Y.encodeStateAsUpdate(doc).length',
      async build(trace, deadline, capture) {
        const doc = new Y.Doc();
        if (capture) doc.on('update', (/** @type {Uint8Array} */ u) => capture.push(u));
        const t = doc.getText('text');
        if (trace.startContent) doc.transact(() => t.insert(0, trace.startContent));
        trace.utf16Txns.forEach((txn, i) => {
          if ((i & 1023) === 0) checkDeadline(deadline, i, trace.txns.length);
          doc.transact(() => {
            for (const [pos, del, ins] of txn.patches) {
              if (del) t.delete(pos, del);
              if (ins) t.insert(pos, ins);
            }
          });
        });
        return doc;
      },
      text,
      encodedBytes: (doc) => Y.encodeStateAsUpdate(doc).length,
      async log(trace, _doc, deadline) {
        const updates = [];
        await this.build(trace, deadline, updates);
        return updates;
      },
      async replay(updates, deadline) {
        const doc = new Y.Doc();
        updates.forEach((u, i) => {
          if ((i & 1023) === 0) checkDeadline(deadline, i, updates.length);
          Y.applyUpdate(doc, /** @type {Uint8Array} */ (u));
        });
        return doc;
      },
    };
  },

  async automerge() {
    const A = await import('@automerge/automerge');
    return {
      mode: 'Automerge.splice on a string field, one Automerge.change per trace txn (plus one Automerge.from for the start content)',
      remoteMode:
        'Automerge.applyChanges(Automerge.init(), Automerge.getAllChanges(doc)) in a single call (batch); getAllChanges itself is not timed',
      encodedNote: 'Automerge.save(doc).length (compressed columnar snapshot with full history)',
      async build(trace, deadline) {
        let doc = A.from({ text: trace.startContent });
        trace.utf16Txns.forEach((txn, i) => {
          if ((i & 1023) === 0) checkDeadline(deadline, i, trace.txns.length);
          doc = A.change(doc, (d) => {
            for (const [pos, del, ins] of txn.patches) A.splice(d, ['text'], pos, del, ins);
          });
        });
        return doc;
      },
      text: (doc) => doc.text,
      encodedBytes: (doc) => A.save(doc).length,
      async log(_trace, doc) {
        return A.getAllChanges(doc);
      },
      async replay(changes) {
        return A.applyChanges(A.init(), /** @type {Uint8Array[]} */ (changes))[0];
      },
    };
  },

  async folio() {
    const js = new URL('../../web/src/main/webapp/js/', import.meta.url);
    const { Replica } = await import(new URL('lseq.js', js).href);
    const { encodeJsonDelta, decodeJsonDelta } = await import(new URL('lseq-codec.js', js).href);
    const { body, snapshot } = await import(new URL('../../../test/js/snapshot-writer.mjs', js).href);
    return {
      mode: "Folio's browser Replica (web/src/main/webapp/js/lseq.js), delete then insert per patch (code point positions), one delta per trace txn",
      remoteMode:
        'Replica.apply of the JSON deltas (encodeJsonDelta, one per txn, captured in an untimed pass) decoded with decodeJsonDelta, in order, into a fresh Replica',
      encodedNote:
        "the server's FLS2 snapshot of the replica (no delete memory), written by web/src/test/js/snapshot-writer.mjs",
      async build(trace, deadline, capture) {
        const replica = new Replica(1);
        if (trace.startContent) capture?.push(encodeJsonDelta(replica.insert(0, trace.startContent)));
        trace.txns.forEach((txn, i) => {
          if ((i & 1023) === 0) checkDeadline(deadline, i, trace.txns.length);
          const ops = [];
          for (const [pos, del, ins] of txn.patches) {
            if (del) for (const op of replica.delete(pos, del).ops) ops.push(op);
            if (ins) for (const op of replica.insert(pos, ins).ops) ops.push(op);
          }
          capture?.push(encodeJsonDelta({ ops }));
        });
        return replica;
      },
      text: (replica) => replica.text(),
      encodedBytes(replica) {
        const { identifiers, received } = replica.state();
        return snapshot(body({ ids: identifiers, text: replica.text(), deletes: [], received }), undefined, 2).length;
      },
      async log(trace, _replica, deadline) {
        const deltas = [];
        await this.build(trace, deadline, deltas);
        return deltas;
      },
      async replay(deltas, deadline) {
        const replica = new Replica(2);
        deltas.forEach((json, i) => {
          if ((i & 1023) === 0) checkDeadline(deadline, i, deltas.length);
          replica.apply(decodeJsonDelta(/** @type {string} */ (json)));
        });
        return replica;
      },
    };
  },

  async lseqtree() {
    const LSeqTree = require('lseqtree');
    /** @param {any} tree */
    const text = (tree) => {
      let s = '';
      for (let i = 0; i < tree.length; i++) s += tree.get(i);
      return s;
    };
    /** Its API is per element, so a patch becomes single-character removes then inserts. */
    const applyPatch = (tree, [pos, del, ins], capture) => {
      for (let k = 0; k < del; k++) {
        const id = tree.remove(pos);
        capture?.push({ del: id });
      }
      let at = pos;
      for (const ch of ins) {
        const pair = tree.insert(ch, at++);
        capture?.push({ ins: pair });
      }
    };
    return {
      mode: 'LSeqTree(site=1), one tree.insert/tree.remove per character (no grouping exists in its API)',
      remoteMode:
        'applyInsert/applyRemove of the per-character ids returned locally, in order, into a fresh LSeqTree(site=2); ids passed as in-memory objects, not serialised',
      encodedNote: 'JSON.stringify(tree).length (its own fromJSON format; it has no binary encoding)',
      async build(trace, deadline, capture) {
        const tree = new LSeqTree(1);
        if (trace.startContent) applyPatch(tree, [0, 0, trace.startContent], capture);
        trace.txns.forEach((txn, i) => {
          if ((i & 255) === 0) checkDeadline(deadline, i, trace.txns.length);
          for (const p of txn.patches) applyPatch(tree, p, capture);
        });
        return tree;
      },
      text,
      encodedBytes: (tree) => JSON.stringify(tree).length,
      async log(trace, _tree, deadline) {
        const ops = [];
        await this.build(trace, deadline, ops);
        return ops;
      },
      async replay(ops, deadline) {
        const tree = new LSeqTree(2);
        ops.forEach((op, i) => {
          if ((i & 1023) === 0) checkDeadline(deadline, i, ops.length);
          if (op.ins) tree.applyInsert(op.ins);
          else tree.applyRemove(op.del);
        });
        return tree;
      },
    };
  },
};

/** heapUsed + external: Automerge keeps its document in wasm linear memory, which V8 reports as external. */
function retained() {
  global.gc();
  global.gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, external: m.external };
}

/**
 * Measures one implementation on one trace, in a process of its own.
 * @param {string} implName @param {string} file @param {number} repeat @param {number} budgetSeconds
 */
async function measure(implName, file, repeat, budgetSeconds) {
  const started = performance.now();
  const deadline = started + budgetSeconds * 1000;
  const trace = loadTrace(file);
  let operations = 0,
    patches = 0;
  for (const txn of trace.txns) {
    for (const [, del, ins] of txn.patches) {
      operations += del + cpLength(ins);
      patches++;
    }
  }
  const out = {
    impl: implName,
    trace: basename(file),
    operations,
    patches,
    txns: trace.txns.length,
    finalLength: cpLength(trace.endContent),
  };
  try {
    const impl = await IMPLS[implName]();
    Object.assign(out, { mode: impl.mode, version: versionOf(implName) });

    // Run 1 doubles as the heap measurement: gc()s happen outside the timed region.
    const before = retained();
    let t0 = performance.now();
    let doc = await impl.build(trace, deadline);
    const times = [performance.now() - t0];
    const after = retained();
    const finalText = impl.text(doc);
    const matches = finalText === trace.endContent;
    Object.assign(out, {
      matches,
      heapBytesPerChar: round(
        (after.heap - before.heap + (after.external - before.external)) / Math.max(1, finalText.length),
      ),
      heapNote: `(heapUsed + external) after minus before, with a reference held, ${
        implName === 'automerge'
          ? 'external includes the wasm linear memory, which only grows: this is its high-water mark while building, an upper bound'
          : 'external delta ' + (after.external - before.external) + ' bytes'
      }`,
    });
    if (!matches)
      out.error = `wrong text: got length ${finalText.length}, expected ${trace.endContent.length}; first difference at index ${firstDiff(finalText, trace.endContent)}`;

    // Another repeat only if it will fit in the budget, so the budget caps the total, not each run.
    while (times.length < repeat && performance.now() + 1.2 * times[times.length - 1] < deadline) {
      doc = null;
      t0 = performance.now();
      doc = await impl.build(trace, deadline);
      times.push(performance.now() - t0);
    }
    Object.assign(out, { millis: round(Math.min(...times)), runs: times.length, allMillis: times.map(round) });
    out.encodedBytes = impl.encodedBytes(doc);
    out.encodedNote = impl.encodedNote;

    const log = await impl.log(trace, doc, deadline);
    doc = null;
    global.gc();
    t0 = performance.now();
    const replica = await impl.replay(log, deadline);
    out.remoteMillis = round(performance.now() - t0);
    out.remoteMode = impl.remoteMode;
    out.remoteMatches = impl.text(replica) === trace.endContent;
  } catch (e) {
    out.error =
      (out.error ? out.error + '; then ' : '') +
      (e instanceof BudgetExceeded ? e.message : `${e?.name}: ${e?.message}`);
  }
  out.wallSeconds = round((performance.now() - started) / 1000);
  return out;
}

const round = (/** @type {number} */ x) => Math.round(x * 10) / 10;
const firstDiff = (/** @type {string} */ a, /** @type {string} */ b) => {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
};
/** Read from disk because @automerge/automerge's "exports" hides its package.json from require. */
const versionOf = (/** @type {string} */ impl) =>
  impl === 'folio'
    ? execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
    : JSON.parse(
        readFileSync(
          new URL(
            `./node_modules/${{ yjs: 'yjs', automerge: '@automerge/automerge', lseqtree: 'lseqtree' }[impl]}/package.json`,
            import.meta.url,
          ),
          'utf8',
        ),
      ).version;

/** @param {string[]} argv */
function parseArgs(argv) {
  const opts = { impls: ALL_IMPLS, repeat: 3, budgetSeconds: 120, files: /** @type {string[]} */ ([]), child: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--impl') opts.impls = argv[++i].split(',');
    else if (a === '--repeat') opts.repeat = Math.max(1, Number(argv[++i]));
    else if (a === '--budget-seconds') opts.budgetSeconds = Number(argv[++i]);
    else if (a === '--child') opts.child = true;
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}`);
    else opts.files.push(a);
  }
  const unknown = opts.impls.filter((n) => !IMPLS[n]);
  if (unknown.length || !opts.files.length) {
    throw new Error(
      `usage: node trace-bench.mjs [--impl ${[...ALL_IMPLS, 'folio'].join(',')}] [--repeat N] [--budget-seconds S] FILE...`,
    );
  }
  return opts;
}

/** Runs one measurement in a child; a child that dies or overruns still yields a JSON line. */
function runChild(impl, file, opts) {
  const self = fileURLToPath(import.meta.url);
  const args = [
    '--expose-gc',
    '--max-old-space-size=8192',
    self,
    '--child',
    '--impl',
    impl,
    '--repeat',
    String(opts.repeat),
    '--budget-seconds',
    String(opts.budgetSeconds),
    file,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    // The in-process deadline is only checked between txns; this catches a hang inside one.
    const killAfter = (opts.budgetSeconds * 1.5 + 60) * 1000;
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfter);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').pop();
      if (code === 0 && line) return resolve(line);
      resolve(
        JSON.stringify({
          impl,
          trace: basename(file),
          error:
            signal === 'SIGKILL'
              ? `killed after ${killAfter / 1000} s (budget ${opts.budgetSeconds} s)`
              : `child exited with ${code ?? signal}`,
          stderrTail: stderr.trim().split('\n').slice(-5).join(' | '),
        }),
      );
    });
  });
}

/** @type {ReturnType<typeof parseArgs>} */
let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(e.message);
  process.exit(2);
}
if (opts.child) {
  if (typeof global.gc !== 'function') throw new Error('--child must run under node --expose-gc');
  const [impl] = opts.impls;
  process.stdout.write(JSON.stringify(await measure(impl, opts.files[0], opts.repeat, opts.budgetSeconds)) + '\n');
} else {
  // Sequential on purpose: two measurements sharing 2 cores would disturb each other's timings.
  for (const impl of opts.impls) {
    for (const file of opts.files) console.log(await runChild(impl, file, opts));
  }
}
