#!/usr/bin/env node
// The text cases of crdt-benchmarks (B1.1-B1.7, B2.1-B2.4, B3.5, B4) run against Folio's browser
// modules (web/src/main/webapp/js: lseq.js, lseq-codec.js) and Yjs, with the suite's own seeded
// inputs and checks, printing one JSON line per implementation x case and then a table with the
// ratios (docs/benchmarks.md, "crdt-benchmarks text cases").
//
// Reproduced from dmonad/crdt-benchmarks, commit 796f70250c8c003dfb3a50369d0b2733a760e54d
// (2024-02-12): js-lib/b1.js, b2.js, b3.js, b4.js, utils.js and benchmarks/yjs/factory.js.
// Copyright (c) 2019 Kevin Jahns, MIT licence (that repository's LICENSE; its B4 trace file is
// not under it and not copied: B4 here replays server-config/traces/automerge-paper.json.gz, the
// same automerge-perf trace, CC BY 4.0, see that folder's README). What is kept exactly:
// - the inputs: lib0's PRNG seeded 42 (lib0/prng; lib0 0.2.120 here, whose prng and
//   Xoroshiro128plus are those of the suite's 0.2.88), drawn in the order a full run of the suite
//   draws them, the number cases B1.8-B1.11 included, so every text case gets the suite's inputs;
// - each case's template: what is timed (the "(time)" region: the edits, delivering the updates,
//   the check), the update handlers (B2's two documents joined through lib0's mutex, B3's
//   20*sqrt(N) clients), what is encoded (docSize) and loaded (parseTime, memUsed);
// - the checks, with node:assert. Exception: B3.5's check compares `doc.toString()`, which is
//   "[object Object]" for every document in the suite; here it compares the texts.
// What is added: heap counts typed arrays' contents too (see heapUsed); wire bytes for Folio both as the JSON frames its WebSocket carries today and as
// the binary delta codec would write the same deltas, and one process per implementation x case
// (node --expose-gc) so that heap figures start from a clean heap.
//
// Folio's side, as its browser editor does it: a `Replica` per document, one delta per local
// insertText/deleteText (per transact in B2, where the suite groups), sent as the client's frame
// `{"type":"delta","opId":...,"ops":[...]}` and applied on the other side after JSON.parse and
// `deltaFromJson`. Its snapshot (docSize) is the server's FLS2 snapshot of the document (live
// identifiers, text and received counters; the server keeps no delete memory), written by
// web/src/test/js/snapshot-writer.mjs and loaded with lseq-codec.js's `decodeSnapshot`.
//
//   node crdt-bench.mjs [--impl folio,yjs] [--case B1.1,B2.4,...] [--n 6000] [--repeat 1] [--quick]
// --repeat R: each implementation x case R times, each in a fresh process; the fastest is kept.
// --quick: N = 300 and the first 5,000 edits of B4, a check that the command works, not a
// measurement (server-config/bin/check-commands).

import { spawn } from 'node:child_process';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import * as prng from 'lib0/prng';
import * as math from 'lib0/math';
import { createMutex } from 'lib0/mutex';

const webJs = new URL('../../web/src/main/webapp/js/', import.meta.url);
const traceFile = new URL('../traces/automerge-paper.json.gz', import.meta.url);
const ALL_IMPLS = ['folio', 'yjs'];
const ALL_CASES = [
  'B1.1',
  'B1.2',
  'B1.3',
  'B1.4',
  'B1.5',
  'B1.6',
  'B1.7',
  'B2.1',
  'B2.2',
  'B2.3',
  'B2.4',
  'B3.5',
  'B4',
];
const QUICK_N = 300;
const QUICK_B4_EDITS = 5000;

// ---------------------------------------------------------------------------------------------
// The suite's inputs

/**
 * Every input of a full run of the suite, drawn from one generator in the suite's order: b2.js's
 * module-level initText first (its module is evaluated before any benchmark runs), then B1.1 to
 * B1.11 and B2.1 to B2.4 as their closures draw them. B3 and B4 draw nothing.
 * @param {number} N
 */
function suiteInputs(N) {
  const gen = prng.create(42);
  const initText = prng.word(gen, 100, 100);
  /** @type {Record<string, any>} */
  const inputs = { initText };
  inputs['B1.1'] = prng.word(gen, N, N);
  inputs['B1.2'] = prng.word(gen, N, N);
  inputs['B1.3'] = prng.word(gen, N, N);
  {
    let string = '';
    const input = [];
    for (let i = 0; i < N; i++) {
      const index = prng.int32(gen, 0, string.length);
      const insert = prng.word(gen, 1, 1);
      string = string.slice(0, index) + insert + string.slice(index);
      input.push({ index, insert });
    }
    inputs['B1.4'] = { input, string };
  }
  {
    let string = '';
    const input = [];
    for (let i = 0; i < N; i++) {
      const index = prng.int32(gen, 0, string.length);
      const insert = prng.word(gen, 2, 10);
      string = string.slice(0, index) + insert + string.slice(index);
      input.push({ index, insert });
    }
    inputs['B1.5'] = { input, string };
  }
  inputs['B1.6'] = prng.word(gen, N, N);
  {
    let string = '';
    const input = [];
    for (let i = 0; i < N; i++) {
      const index = prng.uint32(gen, 0, string.length);
      if (string.length === index || prng.bool(gen)) {
        const insert = prng.word(gen, 2, 10);
        string = string.slice(0, index) + insert + string.slice(index);
        input.push({ index, insert });
      } else {
        const deleteCount = prng.uint32(gen, 1, math.min(9, string.length - index));
        string = string.slice(0, index) + string.slice(index + deleteCount);
        input.push({ index, deleteCount });
      }
    }
    inputs['B1.7'] = { input, string };
  }
  // B1.8-B1.10: N numbers each; B1.11: N (index, number) pairs. Drawn only to keep the sequence.
  for (let k = 0; k < 3; k++) for (let i = 0; i < N; i++) prng.uint32(gen, 0, 0x7fffffff);
  {
    let length = 0;
    for (let i = 0; i < N; i++) {
      prng.uint32(gen, 0, length);
      prng.uint32(gen, 0, 0x7fffffff);
      length++;
    }
  }
  inputs['B2.1'] = [prng.word(gen, N, N), prng.word(gen, N, N)];
  const randomInserts = (/** @type {number} */ min, /** @type {number} */ max) => {
    let str = initText;
    const input = [];
    for (let i = 0; i < N; i++) {
      const index = prng.uint32(gen, 0, str.length);
      const insert = prng.word(gen, min, max);
      str = str.slice(0, index) + insert + str.slice(index);
      input.push({ index, insert });
    }
    return input;
  };
  inputs['B2.2'] = [randomInserts(1, 1), randomInserts(1, 1)];
  inputs['B2.3'] = [randomInserts(3, 9), randomInserts(3, 9)];
  const insertsAndDeletes = () => {
    let str = initText;
    const input = [];
    for (let i = 0; i < N; i++) {
      const index = prng.uint32(gen, 0, str.length);
      const insert = prng.word(gen, 3, 9);
      str = str.slice(0, index) + insert + str.slice(index);
      input.push({ index, insert });
      if (str.length === index || prng.bool(gen)) {
        const insert = prng.word(gen, 2, 10);
        str = str.slice(0, index) + insert + str.slice(index);
        input.push({ index, insert });
      } else {
        const deleteCount = prng.uint32(gen, 1, math.min(9, str.length - index));
        str = str.slice(0, index) + str.slice(index + deleteCount);
        input.push({ index, deleteCount });
      }
    }
    return input;
  };
  inputs['B2.4'] = [insertsAndDeletes(), insertsAndDeletes()];
  return inputs;
}

/**
 * B4's edits, `[position, deleted, inserted]`: the automerge-perf trace (all ASCII, one patch per
 * transaction, so code point and UTF-16 positions agree), as the suite's b4-editing-trace.js has
 * it. With `limit`, the first `limit` edits and the text they leave.
 * @param {number} [limit]
 * @returns {{edits: Array<[number, number, string]>, finalText: string}}
 */
function b4Trace(limit) {
  const trace = JSON.parse(gunzipSync(readFileSync(traceFile)).toString('utf8'));
  /** @type {Array<[number, number, string]>} */
  const edits = trace.txns.flatMap((/** @type {any} */ txn) => txn.patches);
  if (limit === undefined || limit >= edits.length) return { edits, finalText: trace.endContent };
  const cut = edits.slice(0, limit);
  let text = '';
  for (const [at, removed, inserted] of cut) text = text.slice(0, at) + inserted + text.slice(at + removed);
  return { edits: cut, finalText: text };
}

// ---------------------------------------------------------------------------------------------
// The two implementations, behind the suite's AbstractCrdt (text methods only)

/**
 * @typedef {object} Doc
 * @property {(index: number, text: string) => void} insertText
 * @property {(index: number, length: number) => void} deleteText
 * @property {() => string} getText
 * @property {(f: (doc: Doc) => void) => void} transact
 * @property {(update: any) => void} applyUpdate
 * @property {() => Uint8Array} getEncodedState
 */
/**
 * @typedef {object} Factory
 * @property {string} name
 * @property {string} version
 * @property {(handler: (update: any) => void) => Doc} create
 * @property {(handler: (update: any) => void, bytes: Uint8Array) => Promise<Doc>} load
 * @property {(update: any) => number} wireBytes what one update weighs on the wire
 * @property {(docs: Doc[]) => Record<string, number>} [extraWire] other encodings of what was sent
 * @property {() => void} [startTiming] called as a timed region starts
 * @property {() => Record<string, number>} [timing] parts of the last timed region
 */

/** @returns {Promise<Factory>} the suite's benchmarks/yjs/factory.js, text part */
async function yjsFactory() {
  const Y = await import('yjs');
  /** @param {(update: Uint8Array) => void} handler */
  const make = (handler) => {
    const ydoc = new Y.Doc();
    ydoc.on('updateV2', (/** @type {Uint8Array} */ update) => handler(update));
    const ytext = ydoc.getText('text');
    /** @type {Doc} */
    const doc = {
      insertText: (index, text) => ytext.insert(index, text),
      deleteText: (index, length) => ytext.delete(index, length),
      getText: () => ytext.toString(),
      transact: (f) => ydoc.transact(() => f(doc)),
      applyUpdate: (update) => Y.applyUpdateV2(ydoc, update),
      getEncodedState: () => Y.encodeStateAsUpdateV2(ydoc),
    };
    return doc;
  };
  return {
    name: 'yjs',
    version: packageVersion('yjs'),
    create: make,
    async load(handler, bytes) {
      const doc = make(handler);
      doc.applyUpdate(bytes);
      return doc;
    },
    wireBytes: (update) => update.length,
  };
}

/** @returns {Promise<Factory>} Folio's browser modules as its editor uses them */
async function folioFactory() {
  const { Replica } = await import(new URL('lseq.js', webJs).href);
  const { deltaToJson, deltaFromJson, encodeBinaryDelta, decodeSnapshot } = await import(
    new URL('lseq-codec.js', webJs).href
  );
  const { body, snapshot } = await import(new URL('../../../test/js/snapshot-writer.mjs', webJs).href);
  let nextSite = 1;
  /** Time spent making and reading the JSON frames, inside the timed regions and out. */
  const json = { millis: 0 };
  /** @type {WeakMap<Doc, any[]>} the deltas each document sent, for the binary sizes afterwards */
  const sentDeltas = new WeakMap();
  /** @param {(update: string) => void} handler @param {any} replica */
  const make = (handler, replica) => {
    /** @type {any[] | null} */
    let pending = null; // the ops of an open transact
    let seq = 0;
    /** @type {any[]} */
    const sent = [];
    /** @param {any} delta */
    const emit = (delta) => {
      if (delta.ops.length === 0) return;
      sent.push(delta);
      const started = performance.now();
      const frame = JSON.stringify({ type: 'delta', opId: `${replica.site}-${seq++}`, ops: deltaToJson(delta).ops });
      json.millis += performance.now() - started;
      handler(frame);
    };
    /** @param {any} delta */
    const local = (delta) => {
      if (pending) for (const op of delta.ops) pending.push(op);
      else emit(delta);
    };
    /** @type {Doc} */
    const doc = {
      insertText: (index, text) => local(replica.insert(index, text)),
      deleteText: (index, length) => local(replica.delete(index, length)),
      getText: () => replica.text(),
      transact(f) {
        if (pending) return f(doc);
        pending = [];
        try {
          f(doc);
        } finally {
          const ops = pending;
          pending = null;
          emit({ ops });
        }
      },
      applyUpdate(update) {
        const started = performance.now();
        const delta = deltaFromJson(JSON.parse(update));
        json.millis += performance.now() - started;
        replica.apply(delta);
      },
      getEncodedState() {
        const { identifiers, received } = replica.state();
        return snapshot(body({ ids: identifiers, text: replica.text(), deletes: [], received }), undefined, 2);
      },
    };
    sentDeltas.set(doc, sent);
    return doc;
  };
  return {
    name: 'folio',
    version: gitCommit(),
    create: (handler) => make(handler, new Replica(nextSite++)),
    async load(handler, bytes) {
      return make(handler, await decodeSnapshot(bytes, nextSite++, 0));
    },
    wireBytes: (update) => Buffer.byteLength(update, 'utf8'),
    extraWire(docs) {
      let binary = 0;
      for (const doc of docs) for (const delta of sentDeltas.get(doc) ?? []) binary += encodeBinaryDelta(delta).length;
      return { wireBinaryBytes: binary };
    },
    startTiming: () => (json.millis = 0),
    timing: () => ({ jsonMillis: round(json.millis) }),
  };
}

/** The checkout's commit, which names Folio's version here. */
function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

/** @param {string} name */
function packageVersion(name) {
  return JSON.parse(readFileSync(new URL(`./node_modules/${name}/package.json`, import.meta.url), 'utf8')).version;
}

// ---------------------------------------------------------------------------------------------
// The suite's templates

/**
 * heapUsed plus the typed arrays' backing stores, after two collections. The suite's getMemUsed
 * counts heapUsed only (after one), which misses what a document keeps in typed arrays: V8 keeps
 * their contents outside its heap (process.memoryUsage().arrayBuffers).
 */
function heapUsed() {
  global.gc?.();
  global.gc?.();
  const memory = process.memoryUsage();
  return memory.heapUsed + memory.arrayBuffers;
}

/** @param {() => void | Promise<void>} f @returns {Promise<number>} milliseconds */
async function timed(f) {
  const start = performance.now();
  await f();
  return performance.now() - start;
}

/**
 * A case's "(time)" region, with what the factory tells of its parts (Folio: jsonMillis, the
 * share of making and reading JSON frames).
 * @param {Factory} factory @param {() => void} f
 */
async function timedCase(factory, f) {
  factory.startTiming?.();
  const millis = await timed(f);
  return { millis: round(millis), ...factory.timing?.() };
}

/**
 * What every template ends with: the encoded state's size, then the time and heap of loading it
 * (the suite's docSize, parseTime, memUsed).
 * @param {Factory} factory @param {Doc} source @param {(loaded: Doc) => void} check
 */
async function encodeAndLoad(factory, source, check) {
  let encoded = /** @type {Uint8Array} */ (new Uint8Array(0));
  const encodeMillis = await timed(() => {
    encoded = source.getEncodedState();
  });
  const before = heapUsed();
  /** @type {Doc | null} */
  let loaded = null;
  const parseMillis = await timed(async () => {
    loaded = await factory.load(() => {}, encoded);
    check(loaded);
  });
  const heapBytes = heapUsed() - before;
  if (!loaded) throw new Error('not loaded');
  return { docBytes: encoded.length, encodeMillis: round(encodeMillis), parseMillis: round(parseMillis), heapBytes };
}

/**
 * b1.js's benchmarkTemplate: doc1 makes the changes, doc2 applies doc1's updates, in the timed region.
 * @template T
 * @param {Factory} factory @param {T[]} inputData @param {(doc: Doc, input: T, i: number) => void} change
 * @param {(doc1: Doc, doc2: Doc) => void} check
 */
async function b1Template(factory, inputData, change, check) {
  const doc2 = factory.create(() => {});
  /** @type {any[]} */
  const doc1Updates = [];
  const doc1 = factory.create((update) => doc1Updates.push(update));
  const time = await timedCase(factory, () => {
    for (let i = 0; i < inputData.length; i++) change(doc1, inputData[i], i);
    doc1Updates.forEach((update) => doc2.applyUpdate(update));
    check(doc1, doc2);
  });
  const wireBytes = doc1Updates.reduce((sum, update) => sum + factory.wireBytes(update), 0);
  return {
    ...time,
    updates: doc1Updates.length,
    wireBytes,
    ...factory.extraWire?.([doc1]),
    ...(await encodeAndLoad(factory, doc1, (loaded) => check(doc2, loaded))),
  };
}

/**
 * b2.js's benchmarkTemplate: two documents joined through a mutex, each update applied to the
 * other at once; each side's changes in one transaction.
 * @param {Factory} factory @param {string} initText
 * @param {(doc: Doc) => void} changeDoc1 @param {(doc: Doc) => void} changeDoc2
 * @param {(doc1: Doc, doc2: Doc) => void} check
 */
async function b2Template(factory, initText, changeDoc1, changeDoc2, check) {
  let wireBytes = 0;
  let updates = 0;
  const mux = createMutex();
  /** @type {Doc} */
  let doc2;
  const doc1 = factory.create((update) =>
    mux(() => {
      wireBytes += factory.wireBytes(update);
      updates++;
      doc2.applyUpdate(update);
    }),
  );
  doc2 = factory.create((update) =>
    mux(() => {
      wireBytes += factory.wireBytes(update);
      updates++;
      doc1.applyUpdate(update);
    }),
  );
  doc1.insertText(0, initText);
  const time = await timedCase(factory, () => {
    doc1.transact(() => changeDoc1(doc1));
    doc2.transact(() => changeDoc2(doc2));
    check(doc1, doc2);
  });
  return {
    ...time,
    updates,
    wireBytes,
    ...factory.extraWire?.([doc1, doc2]),
    ...(await encodeAndLoad(factory, doc1, (loaded) => check(loaded, doc2))),
  };
}

/**
 * b3.js's benchmarkTemplate: 20*sqrt(N) clients change concurrently; client 0 applies every
 * update (untimed), then client 1 does, timed.
 * @param {Factory} factory @param {number} N
 * @param {(doc: Doc, i: number) => void} changeDoc @param {(docs: Doc[]) => void} check
 */
async function b3Template(factory, N, changeDoc, check) {
  const sqrtN = math.floor(math.sqrt(N)) * 20;
  /** @type {any[]} */
  const updates = [];
  const mux = createMutex();
  /** @type {Doc[]} */
  const docs = [];
  for (let i = 0; i < sqrtN; i++) docs.push(factory.create((update) => mux(() => updates.push(update))));
  for (let i = 0; i < docs.length; i++) changeDoc(docs[i], i);
  assert.ok(updates.length >= sqrtN);
  mux(() => docs[0].transact(() => updates.forEach((update) => docs[0].applyUpdate(update))));
  const time = await timedCase(factory, () => {
    mux(() => docs[1].transact(() => updates.forEach((update) => docs[1].applyUpdate(update))));
    check(docs.slice(0, 2));
  });
  return {
    ...time,
    clients: sqrtN,
    updates: updates.length,
    wireBytes: updates.reduce((sum, update) => sum + factory.wireBytes(update), 0),
    ...factory.extraWire?.(docs),
    ...(await encodeAndLoad(factory, docs[0], (loaded) => check([loaded, docs[0]]))),
  };
}

/**
 * b4.js's benchmarkTemplate: one document replays the trace, each edit a delete then an insert;
 * the suite's handler ignores the updates, here they are only weighed.
 * @param {Factory} factory @param {Array<[number, number, string]>} edits @param {string} finalText
 */
async function b4Template(factory, edits, finalText) {
  let wireBytes = 0;
  let updates = 0;
  const doc1 = factory.create((update) => {
    wireBytes += factory.wireBytes(update);
    updates++;
  });
  const check = (/** @type {Doc} */ doc) => assert.equal(doc.getText(), finalText);
  const time = await timedCase(factory, () => {
    for (const [at, removed, inserted] of edits) {
      if (removed > 0) doc1.deleteText(at, removed);
      if (inserted) doc1.insertText(at, inserted);
    }
    check(doc1);
  });
  return {
    ...time,
    updates,
    wireBytes,
    ...factory.extraWire?.([doc1]),
    ...(await encodeAndLoad(factory, doc1, check)),
  };
}

/**
 * One case of the suite.
 * @param {string} name @param {Factory} factory @param {number} N @param {boolean} quick
 */
async function runCase(name, factory, N, quick) {
  if (name === 'B4') {
    const { edits, finalText } = b4Trace(quick ? QUICK_B4_EDITS : undefined);
    return b4Template(factory, edits, finalText);
  }
  if (name === 'B3.5') {
    // The suite's check compares docs[i].toString(), "[object Object]" for all; the texts here.
    return b3Template(
      factory,
      N,
      (doc, i) => doc.insertText(0, i.toString()),
      (docs) => docs.forEach((doc) => assert.equal(doc.getText(), docs[0].getText())),
    );
  }
  const inputs = suiteInputs(N);
  const same = (/** @type {Doc} */ a, /** @type {Doc} */ b, /** @type {string} */ expected) => {
    assert.equal(a.getText(), b.getText());
    assert.equal(a.getText(), expected);
  };
  /** @type {(doc: Doc, op: any) => void} */
  const insertOrDelete = (doc, op) =>
    op.insert !== undefined ? doc.insertText(op.index, op.insert) : doc.deleteText(op.index, op.deleteCount || 0);
  switch (name) {
    case 'B1.1': {
      const string = inputs[name];
      return b1Template(
        factory,
        string.split(''),
        (doc, s, i) => doc.insertText(i, s),
        (a, b) => same(a, b, string),
      );
    }
    case 'B1.2': {
      const string = inputs[name];
      return b1Template(
        factory,
        [string],
        (doc, s, i) => doc.insertText(i, s),
        (a, b) => same(a, b, string),
      );
    }
    case 'B1.3': {
      const string = inputs[name];
      const reversed = string.split('').reverse().join('');
      return b1Template(
        factory,
        reversed.split(''),
        (doc, s) => doc.insertText(0, s),
        (a, b) => same(a, b, string),
      );
    }
    case 'B1.4':
    case 'B1.5': {
      const { input, string } = inputs[name];
      return b1Template(
        factory,
        input,
        (doc, op) => doc.insertText(op.index, op.insert),
        (a, b) => same(a, b, string),
      );
    }
    case 'B1.6': {
      const string = inputs[name];
      return b1Template(
        factory,
        [string],
        (doc, s, i) => {
          doc.insertText(i, s);
          doc.deleteText(i, s.length);
        },
        (a, b) => same(a, b, ''),
      );
    }
    case 'B1.7': {
      const { input, string } = inputs[name];
      return b1Template(factory, input, insertOrDelete, (a, b) => same(a, b, string));
    }
    case 'B2.1': {
      const [string1, string2] = inputs[name];
      return b2Template(
        factory,
        inputs.initText,
        (doc) => doc.insertText(0, string1),
        (doc) => doc.insertText(0, string2),
        (a, b) => {
          assert.equal(a.getText(), b.getText());
          assert.equal(a.getText().length, N * 2 + 100);
        },
      );
    }
    case 'B2.2':
    case 'B2.3':
    case 'B2.4': {
      const [input1, input2] = inputs[name];
      return b2Template(
        factory,
        inputs.initText,
        (doc) => input1.forEach((/** @type {any} */ op) => insertOrDelete(doc, op)),
        (doc) => input2.forEach((/** @type {any} */ op) => insertOrDelete(doc, op)),
        (a, b) => {
          assert.equal(a.getText(), b.getText());
          if (name === 'B2.2') assert.equal(a.getText().length, N * 2 + 100);
        },
      );
    }
    default:
      throw new Error(`unknown case ${name}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Driver: the parent spawns one child per implementation x case and prints the table

const round = (/** @type {number} */ x) => Math.round(x * 10) / 10;

/** @param {string[]} argv */
function parseArgs(argv) {
  const opts = { impls: ALL_IMPLS, cases: ALL_CASES, n: 6000, repeat: 1, quick: false, child: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--impl') opts.impls = argv[++i].split(',');
    else if (a === '--case') opts.cases = argv[++i].split(',');
    else if (a === '--n') opts.n = Number(argv[++i]);
    else if (a === '--repeat') opts.repeat = Number(argv[++i]);
    else if (a === '--quick') opts.quick = true;
    else if (a === '--child') opts.child = true;
    else throw new Error(`unknown argument ${a}`);
  }
  if (opts.quick) opts.n = QUICK_N;
  const bad = [
    ...opts.impls.filter((x) => !ALL_IMPLS.includes(x)),
    ...opts.cases.filter((x) => !ALL_CASES.includes(x)),
  ];
  if (bad.length || !Number.isInteger(opts.n) || opts.n < 1 || !Number.isInteger(opts.repeat) || opts.repeat < 1) {
    throw new Error(
      `usage: node crdt-bench.mjs [--impl ${ALL_IMPLS.join(',')}] [--case ${ALL_CASES.join(',')}] [--n 6000] [--repeat 1] [--quick]` +
        (bad.length ? ` (unknown: ${bad.join(', ')})` : ''),
    );
  }
  return opts;
}

/** @param {string} impl @param {string} name @param {ReturnType<typeof parseArgs>} opts @returns {Promise<any>} */
function runChild(impl, name, opts) {
  const args = ['--expose-gc', '--max-old-space-size=8192', fileURLToPath(import.meta.url), '--child'];
  args.push('--impl', impl, '--case', name, '--n', String(opts.n), ...(opts.quick ? ['--quick'] : []));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code, signal) => {
      const line = stdout.trim().split('\n').pop();
      if (code === 0 && line) return resolve(JSON.parse(line));
      resolve({
        impl,
        case: name,
        n: opts.n,
        error: `child exited with ${code ?? signal}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
      });
    });
  });
}

/** @param {any[]} results */
function table(results) {
  const cell = (/** @type {any} */ r, /** @type {string} */ key) => (r && !r.error ? r[key] : undefined);
  const num = (/** @type {number | undefined} */ x) => (x === undefined ? '—' : x.toLocaleString('en-US'));
  const ratio = (/** @type {number | undefined} */ a, /** @type {number | undefined} */ b) =>
    a === undefined || b === undefined || b === 0 ? '—' : `${(a / b).toFixed(2)}×`;
  const lines = [
    '| case | time ms (Folio / Yjs) | ratio | Folio JSON ms | wire B: Folio JSON / Folio binary / Yjs | JSON ratio | binary ratio | snapshot B (Folio / Yjs) | ratio | heap B (Folio / Yjs) | ratio | load ms (Folio / Yjs) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const cases = [...new Set(results.map((r) => r.case))];
  for (const name of cases) {
    const f = results.find((r) => r.case === name && r.impl === 'folio');
    const y = results.find((r) => r.case === name && r.impl === 'yjs');
    const get = (/** @type {string} */ key) => [cell(f, key), cell(y, key)];
    const [ft, yt] = get('millis');
    const [fw, yw] = get('wireBytes');
    const [fb] = get('wireBinaryBytes');
    const [fd, yd] = get('docBytes');
    const [fh, yh] = get('heapBytes');
    const [fp, yp] = get('parseMillis');
    lines.push(
      `| ${name} | ${num(ft)} / ${num(yt)} | ${ratio(ft, yt)} | ${num(cell(f, 'jsonMillis'))} | ${num(fw)} / ${num(fb)} / ${num(yw)} | ${ratio(fw, yw)} | ${ratio(fb, yw)} | ${num(fd)} / ${num(yd)} | ${ratio(fd, yd)} | ${num(fh)} / ${num(yh)} | ${ratio(fh, yh)} | ${num(fp)} / ${num(yp)} |`,
    );
  }
  return lines.join('\n');
}

/** @type {ReturnType<typeof parseArgs>} */
let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (e) {
  console.error(/** @type {Error} */ (e).message);
  process.exit(2);
}
if (opts.child) {
  const [impl] = opts.impls;
  const [name] = opts.cases;
  const makeFactory = impl === 'folio' ? folioFactory : yjsFactory;
  // Load a one-character document first, so that what a first load initialises once (Node's
  // DecompressionStream for Folio) is not counted in the case's heap; with a factory of its own,
  // so that the case's documents still get sites 1, 2, ...
  const warmFactory = await makeFactory();
  const warm = warmFactory.create(() => {});
  warm.insertText(0, 'x');
  await warmFactory.load(() => {}, warm.getEncodedState());
  const factory = await makeFactory();
  const started = performance.now();
  const result = await runCase(name, factory, opts.n, opts.quick);
  const out = { impl, version: factory.version, case: name, n: opts.n, ...result };
  out.wallSeconds = round((performance.now() - started) / 1000);
  process.stdout.write(JSON.stringify(out) + '\n');
} else {
  const commit = gitCommit();
  console.error(
    `# crdt-benchmarks text cases, N = ${opts.n}${opts.quick ? ' (quick: not a measurement)' : ''}, commit ${commit}, ${new Date().toISOString()}, node ${process.version}`,
  );
  const results = [];
  // Sequential on purpose: two measurements sharing 2 cores would disturb each other's timings.
  for (const name of opts.cases) {
    for (const impl of opts.impls) {
      // --repeat: the run with the least time, each in a fresh process (the suite runs once).
      const runs = [];
      for (let r = 0; r < opts.repeat; r++) runs.push(await runChild(impl, name, opts));
      const ok = runs.filter((run) => !run.error);
      const result = ok.length ? ok.reduce((best, run) => (run.millis < best.millis ? run : best)) : runs[0];
      if (opts.repeat > 1) Object.assign(result, { runs: runs.length, allMillis: runs.map((run) => run.millis) });
      console.log(JSON.stringify(result));
      results.push(result);
    }
  }
  console.error(table(results));
  if (results.some((r) => r.error)) process.exit(1);
}
