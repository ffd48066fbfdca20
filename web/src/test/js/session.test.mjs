// The browser's protocol client (DocumentSession) against the in-process test server: people
// editing at once converge with the server; duplicated frames, batches cut off by a dropped
// connection, broadcasts out of order, error frames, a network that goes away and a tab closed
// with edits waiting never leave a copy that differs from the server's once everyone is quiet.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { DocumentSession } from '../../main/webapp/js/document-session.js';
import { MemoryEditStore } from '../../main/webapp/js/edit-store.js';
import { TestServer } from './test-server.mjs';
import { prng } from './random.mjs';
import { assertConverged, nextEvent, tick, within } from './session-helpers.mjs';

const DOC = '0b7c6a52-5d8e-4a57-9a57-3f1f5b6f0d11';

/** Sessions of the running test, stopped after it so that no timer outlives it. @type {DocumentSession[]} */
const running = [];
afterEach(() => {
  for (const session of running.splice(0)) session.stop();
});

/**
 * A session on `server`, as a page would make it.
 * @param {TestServer} server @param {MemoryEditStore} [store] a browser's storage
 * @param {Partial<ConstructorParameters<typeof DocumentSession>[0]>} [options] what differs from the usual
 */
function open(server, store = new MemoryEditStore(), options = {}) {
  const session = new DocumentSession({
    documentId: DOC,
    url: 'ws://test/ws/documents/' + DOC,
    store,
    openSocket: server.connect,
    isOnline: () => server.online,
    retry: { first: 5, max: 40 },
    saveDelay: 5,
    ...options,
  });
  running.push(session);
  return { session, store };
}

/** Starts a session and waits until it can edit. @param {TestServer} server @param {MemoryEditStore} [store] */
async function joined(server, store) {
  const opened = open(server, store);
  await opened.session.start();
  await within(opened.session.quiet(), 'the first join');
  return opened;
}

/**
 * A few random edits by one session.
 * @param {DocumentSession} session @param {ReturnType<typeof prng>} random @param {number} count
 */
function randomEdits(session, random, count) {
  for (let i = 0; i < count; i++) {
    const length = session.length;
    if (length > 3 && random.int(3) === 0) {
      const at = random.int(length - 1);
      session.edit(at, 1 + random.int(Math.min(3, length - at)), random.int(2) === 0 ? '' : 'xy');
    } else {
      session.edit(random.int(length + 1), 0, ['a', 'bc', 'é', '😀', '\n'][random.int(5)]);
    }
  }
}

/** Whether `part`'s characters appear in `whole` in the same order. @param {string} part @param {string} whole */
function isSubsequence(part, whole) {
  let at = 0;
  for (const character of whole) if (character === [...part][at]) at++;
  return at === [...part].length;
}

test('a new browser joins with a snapshot, gets a site and sees the text', async () => {
  const server = new TestServer();
  const first = await joined(server);
  first.session.edit(0, 0, 'Hello, world');
  await assertConverged(server, [first.session]);

  const second = await joined(server);
  assert.equal(second.session.text, 'Hello, world');
  assert.notEqual(second.session.site, first.session.site);
  assert.ok(server.sent.some((f) => f.type === 'join' && f.site === undefined && f.version === undefined));
});

for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
  test(`three people typing at once converge (seed ${seed})`, async () => {
    const random = prng(seed);
    const server = new TestServer();
    server.batchSize = 1 + random.int(4);
    const people = [await joined(server), await joined(server), await joined(server)];
    for (let round = 0; round < 15; round++) {
      for (const { session } of people) randomEdits(session, random, 1 + random.int(3));
      if (random.int(2) === 0) await tick();
    }
    await assertConverged(
      server,
      people.map((p) => p.session),
    );
  });
}

test('every frame from the server twice: nothing is applied twice', async () => {
  const server = new TestServer();
  server.copies = 2;
  const a = await joined(server);
  const b = await joined(server);
  a.session.edit(0, 0, 'abc');
  b.session.edit(0, 0, 'XYZ');
  a.session.edit(1, 1, '');
  await assertConverged(server, [a.session, b.session]);
  assert.equal([...server.text()].length, 5);
});

test('a connection dropped in the middle of a batch: edits are resent, applied once, and nothing is lost', async () => {
  for (const seed of [11, 12, 13, 14, 15]) {
    const random = prng(seed);
    const server = new TestServer();
    server.batchSize = 8;
    const a = await joined(server);
    const b = await joined(server);
    server.dropAfter = 3 + random.int(10); // some acks and deltas of the batch get out, then the line is cut
    randomEdits(a.session, random, 20);
    randomEdits(b.session, random, 20);
    await tick(5);
    server.dropAfter = Infinity;
    await assertConverged(server, [a.session, b.session]);
    // Every insert a sent is in the text exactly once: the resends changed nothing.
    const inserted = server.history.flatMap((d) => d.ops.filter((op) => op.type === 'insert'));
    assert.equal(new Set(inserted.map((op) => JSON.stringify(op.id))).size, inserted.length, `seed ${seed}`);
  }
});

test('a broadcast missing or out of order is never applied across the gap: the client rejoins and catches up', async () => {
  const server = new TestServer();
  const a = await joined(server);
  const b = await joined(server);
  const joinsBefore = server.sent.filter((f) => f.type === 'join').length;
  // Swallow the next frame to b (a delta), so the one after it arrives with a gap.
  const bSession = [...server.sessions].find((s) => s.site === b.session.site);
  const send = bSession?.send.bind(bSession);
  let swallowed = false;
  assert.ok(bSession && send);
  bSession.send = (/** @type {any} */ frame) => {
    if (!swallowed && frame.type === 'delta') {
      swallowed = true;
      return;
    }
    send(frame);
  };
  a.session.edit(0, 0, 'x');
  a.session.edit(1, 0, 'y');
  await assertConverged(server, [a.session, b.session]);
  assert.ok(swallowed);
  assert.equal(b.session.text, 'xy');
  assert.ok(server.sent.filter((f) => f.type === 'join').length > joinsBefore, 'b joined again');
});

test('offline: edits wait, the status says so, and they arrive when the network comes back', async () => {
  const server = new TestServer();
  const a = await joined(server);
  const b = await joined(server);
  /** @type {any[]} */
  const statuses = [];
  b.session.addEventListener('status', (e) => statuses.push(/** @type {CustomEvent} */ (e).detail));

  server.online = false;
  server.dropAll();
  b.session.networkLost();
  b.session.edit(0, 0, 'offline ');
  a.session.edit(0, 0, 'online ');
  await tick(20);
  assert.equal(b.session.state, 'offline');
  assert.equal(b.session.pending, 1);
  assert.ok(statuses.some((s) => s.state === 'offline' && s.pending === 1));

  server.online = true;
  a.session.networkBack();
  b.session.networkBack();
  await assertConverged(server, [a.session, b.session]);
  // Concurrent runs typed at one place may interleave (docs/lseq.md); each keeps its order.
  assert.ok(isSubsequence('offline ', server.text()), server.text());
  assert.ok(isSubsequence('online ', server.text()), server.text());
  assert.equal([...server.text()].length, 15);
});

test('a tab closed offline with edits waiting: the next tab sends them and nothing is lost', async () => {
  const server = new TestServer();
  const other = await joined(server);
  const browser = new MemoryEditStore();
  const first = await joined(server, browser);
  first.session.edit(0, 0, 'kept ');
  await assertConverged(server, [first.session, other.session]);
  const site = first.session.site;

  server.online = false;
  server.dropAll();
  first.session.networkLost();
  first.session.edit(5, 0, 'while offline');
  await first.session.saveNow();
  assert.equal(browser.outbox(DOC, /** @type {number} */ (site)).length, 1, 'the edit is in storage before any ack');
  first.session.stop();

  // Opened again, still offline: the text is there, editable, from storage alone.
  const reopened = open(server, browser);
  await reopened.session.start();
  assert.equal(reopened.session.text, 'kept while offline');
  assert.equal(reopened.session.site, site);
  assert.equal(reopened.session.state, 'offline');
  reopened.session.edit(reopened.session.length, 0, '!');

  other.session.edit(0, 0, '> ');
  server.online = true;
  other.session.networkBack();
  reopened.session.networkBack();
  await assertConverged(server, [reopened.session, other.session]);
  assert.equal(server.text(), '> kept while offline!');
  assert.equal(browser.outbox(DOC, /** @type {number} */ (site)).length, 0, 'acknowledged edits leave storage');
});

test('a tab whose copy is too old joins with a snapshot and keeps its own unsent edits on top', async () => {
  const server = new TestServer();
  server.catchUp = 2;
  const a = await joined(server);
  const b = await joined(server);
  server.online = false;
  server.dropAll();
  b.session.networkLost();
  b.session.edit(0, 0, 'mine');
  server.online = true;
  a.session.networkBack();
  await within(a.session.quiet(), 'a back');
  for (const word of ['1', '2', '3', '4', '5']) a.session.edit(0, 0, word); // more than the catch-up window
  await within(a.session.quiet(), 'a quiet');
  b.session.networkBack();
  await assertConverged(server, [a.session, b.session]);
  assert.ok(isSubsequence('mine', server.text()), server.text());
  assert.ok(isSubsequence('54321', server.text()), server.text());
  assert.equal(server.text().length, 9);
});

test('two tabs of one browser never share a site', async () => {
  const server = new TestServer();
  const browser = new MemoryEditStore();
  const one = await joined(server, browser);
  const two = await joined(server, browser);
  assert.notEqual(one.session.site, two.session.site);
  one.session.edit(0, 0, 'ab');
  two.session.edit(0, 0, 'cd');
  await assertConverged(server, [one.session, two.session]);
});

test('error frames: a malformed-frame error is survived; a refused edit is dropped and the copy reloaded', async () => {
  const server = new TestServer();
  const a = await joined(server);
  const peer = [...server.sessions].find((s) => s.site === a.session.site);
  assert.ok(peer);
  peer.send({ type: 'error', code: 'malformed-frame', message: 'a test error' });
  peer.send({ type: 'something-new' });
  a.session.edit(0, 0, 'still works');
  await assertConverged(server, [a.session]);

  /** @type {any[]} */
  const notices = [];
  a.session.addEventListener('notice', (e) => notices.push(/** @type {CustomEvent} */ (e).detail));
  // The server refuses the next delta (as the real one does for a forged identifier).
  const realReceive = server.receive.bind(server);
  server.receive = (session, frame) => {
    if (frame.type === 'delta' && frame.ops.some((/** @type {any} */ op) => op.text === '!')) {
      session.send({ type: 'error', code: 'invalid-delta', message: 'refused in a test', opId: frame.opId });
      return;
    }
    realReceive(session, frame);
  };
  a.session.edit(0, 0, '!');
  await within(
    new Promise((resolve) => a.session.addEventListener('notice', resolve, { once: true })),
    'the rejected-edit notice',
  );
  await assertConverged(server, [a.session]);
  assert.equal(a.session.text, 'still works', 'the refused edit is gone from the copy too');
  assert.deepEqual(
    notices.map((n) => n.reason),
    ['rejected-edit'],
  );
});

test('a deleted document ends the session for good and forgets its storage', async () => {
  const server = new TestServer();
  const browser = new MemoryEditStore();
  const a = await joined(server, browser);
  /** @type {any[]} */
  const notices = [];
  a.session.addEventListener('notice', (e) => notices.push(/** @type {CustomEvent} */ (e).detail));
  const peer = [...server.sessions][0];
  peer.send({ type: 'error', code: 'document-deleted', message: 'deleted' });
  peer.close(4410, 'document-deleted');
  await within(
    new Promise((resolve) => a.session.addEventListener('notice', resolve, { once: true })),
    'the deleted notice',
  );
  assert.equal(a.session.state, 'closed');
  assert.equal(a.session.editable, false);
  assert.deepEqual(
    notices.map((n) => n.reason),
    ['deleted'],
  );
  assert.throws(() => a.session.edit(0, 0, 'x'));
  await tick(20);
  assert.equal(server.sent.filter((f) => f.type === 'join').length, 1, 'it does not join again');
  assert.equal(await browser.claim(DOC), null);
});

test('an unknown document is reported, not retried', async () => {
  const server = new TestServer();
  const realReceive = server.receive.bind(server);
  server.receive = (session, frame) =>
    frame.type === 'join' ? session.close(4404, 'unknown-document') : realReceive(session, frame);
  const { session } = open(server);
  const notice = new Promise((resolve) =>
    session.addEventListener('notice', (e) => resolve(/** @type {CustomEvent} */ (e).detail)),
  );
  await session.start();
  assert.equal(/** @type {any} */ (await within(notice, 'the notice')).reason, 'unknown');
  assert.equal(session.state, 'closed');
  assert.equal(session.editable, false);
});

test('reconnecting backs off exponentially, with jitter, up to a cap', async () => {
  const server = new TestServer();
  server.online = true;
  /** @type {number[]} */
  const waits = [];
  const session = new DocumentSession({
    documentId: DOC,
    url: 'ws://nowhere',
    store: new MemoryEditStore(),
    openSocket: () => {
      throw new Error('connection refused');
    },
    retry: { first: 20, max: 160 }, // milliseconds long enough that a busy machine's hiccup is not read as a wrong wait
  });
  running.push(session);
  session.addEventListener('status', (e) => {
    const { retryIn } = /** @type {CustomEvent} */ (e).detail;
    if (retryIn !== null && (waits.length === 0 || retryIn !== waits[waits.length - 1])) waits.push(retryIn);
  });
  await session.start();
  await tick(1500);
  session.stop();
  const ceilings = [20, 40, 80, 160, 160, 160];
  assert.ok(waits.length >= ceilings.length, `only ${waits.length} retries: ${waits}`);
  ceilings.forEach((ceiling, i) => {
    assert.ok(
      waits[i] <= ceiling && waits[i] >= ceiling / 2 - 3,
      `retry ${i} waited ${waits[i]} ms, ceiling ${ceiling}`,
    );
  });
});

/** The error frame of a server that cannot store edits (docs/protocol.md); `retryAfter` in ms. @param {number} [retryAfter] */
function unavailable(retryAfter) {
  return {
    type: 'error',
    code: 'document-unavailable',
    message: 'the document could not be stored; join again (test)',
    ...(retryAfter === undefined ? {} : { retryAfter }),
  };
}

/** Resolves when `session` is online again after it went offline (or was connecting). @param {DocumentSession} session */
function rejoin(session) {
  let away = false;
  return nextEvent(session, 'status', (detail) => {
    if (detail.state !== 'online') away = true;
    return away && detail.state === 'online';
  });
}

test("the server's retryAfter is honoured: the session waits that long, then joins and sends its edits", async () => {
  const server = new TestServer();
  const retry = { first: 20, max: 5000 };
  const retryAfter = 600;
  const { session, store } = open(server, undefined, { retry });
  await session.start();
  await within(session.quiet(), 'the first join');
  const site = /** @type {number} */ (session.site);

  // Edits made offline wait in the outbox.
  server.online = false;
  server.dropAll();
  session.networkLost();
  session.edit(0, 0, 'kept ');
  session.edit(5, 0, 'through the outage');
  assert.equal(session.pending, 2);

  // The network is back, but the document cannot be opened yet: the first join is refused, and
  // the server says how long it needs.
  /** @type {number[]} */
  const refusedAt = [];
  const realReceive = server.receive.bind(server);
  server.receive = (peer, frame) => {
    if (frame.type === 'join' && refusedAt.length === 0) {
      refusedAt.push(Date.now());
      peer.closeWith(unavailable(retryAfter), 4503, 'document-unavailable');
      return;
    }
    realReceive(peer, frame);
  };
  /** @type {number[]} */
  const announced = [];
  session.addEventListener('status', (e) => {
    const { state, retryIn } = /** @type {CustomEvent} */ (e).detail;
    if (refusedAt.length > 0 && state === 'offline' && retryIn !== null) announced.push(retryIn);
  });
  const attemptsBefore = server.attempts.length;
  server.online = true;
  session.networkBack();
  await within(session.quiet(), 'the join after the outage, and the acks', 5000);

  assert.equal(refusedAt.length, 1);
  const attempts = server.attempts.slice(attemptsBefore);
  assert.equal(
    attempts.length,
    2,
    `one refused attempt, then one that joined: ${attempts.map((t) => t - attempts[0])}`,
  );
  // Timers do not fire early; 2 ms for Date.now's rounding. The session's own backoff would have been 10-20 ms.
  const waited = attempts[1] - refusedAt[0];
  assert.ok(waited >= retryAfter - 2, `connected again ${waited} ms after being told to wait ${retryAfter} ms`);
  assert.ok(
    waited < 2 * retryAfter,
    `waited ${waited} ms for a retryAfter of ${retryAfter} ms (jitter adds ${retry.first} at most)`,
  );
  assert.ok(announced.length > 0 && announced[0] >= retryAfter - 2, `the status announced retryIn ${announced}`);

  // Nothing lost, nothing twice.
  await assertConverged(server, [session]);
  assert.equal(server.text(), 'kept through the outage');
  assert.equal(server.history.length, 2);
  assert.equal(new Set(server.history.map((d) => d.opId)).size, 2);
  assert.equal(store.outbox(DOC, site).length, 0, 'acknowledged edits leave storage');

  // The server's wait counted once: the next drop reconnects at the session's own (reset) pace.
  const droppedAt = Date.now();
  const attemptsAfter = server.attempts.length;
  const rejoined = rejoin(session);
  server.dropAll();
  await within(rejoined, 'the rejoin after a plain drop');
  assert.equal(server.attempts.length, attemptsAfter + 1);
  const again = server.attempts[attemptsAfter] - droppedAt;
  assert.ok(again < 300, `reconnected ${again} ms after a drop, with retry.first ${retry.first}`);
});

test('rejoins back off while joins succeed but edits cannot be stored, and start over at the first ack', async () => {
  const server = new TestServer();
  const retry = { first: 20, max: 2000 };
  const failures = 6;
  const { session, store } = open(server, undefined, { retry });
  await session.start();
  await within(session.quiet(), 'the first join');
  const site = /** @type {number} */ (session.site);

  // The broker is away: the server takes every join (it has the document loaded), but closes the
  // socket (4503) as soon as an edit comes, which it cannot store. Before the fix, every join reset
  // the backoff and each client rejoined every retry.first, for as long as the outage lasted.
  /** @type {number[]} */
  const refusedAt = [];
  const realReceive = server.receive.bind(server);
  server.receive = (peer, frame) => {
    if (frame.type === 'delta' && refusedAt.length < failures) {
      refusedAt.push(Date.now());
      peer.closeWith(unavailable(), 4503, 'document-unavailable');
      return;
    }
    realReceive(peer, frame);
  };
  /** @type {any[]} */
  const acks = [];
  const realDeliver = server.deliver.bind(server);
  server.deliver = (peer, socket, frame) => {
    if (/** @type {any} */ (frame).type === 'ack') acks.push(frame);
    realDeliver(peer, socket, frame);
  };
  const attemptsBefore = server.attempts.length;
  session.edit(0, 0, 'stored at last');
  await within(session.quiet(), 'the ack once the server can store again', 10_000);

  assert.equal(refusedAt.length, failures);
  const attempts = server.attempts.slice(attemptsBefore);
  assert.equal(attempts.length, failures, 'one connection attempt after each close');
  assert.ok(attempts.every((t, k) => t >= refusedAt[k]));
  // Before attempt k the session waited between half and all of min(max, first * 2^k) after the
  // close (jitter), whatever the random draws: so the gap between attempts k-1 and k is at least
  // first * 2^k / 2 (2 ms for Date.now's rounding). A backoff that starts over at each join gives
  // gaps of at most first plus the join's round trip.
  const gaps = attempts.slice(1).map((t, i) => t - attempts[i]);
  gaps.forEach((gap, i) => {
    const k = i + 1;
    const least = Math.min(retry.max, retry.first * 2 ** k) / 2;
    assert.ok(gap >= least - 2, `gap ${k} between connection attempts was ${gap} ms, less than ${least}: ${gaps}`);
  });
  assert.ok(gaps[gaps.length - 1] >= 8 * retry.first, `the backoff did not grow: gaps ${gaps}`);

  // The edit went out on every socket, under one opId, and was stored and acknowledged once.
  const deltas = server.sent.filter((f) => f.type === 'delta');
  assert.equal(deltas.length, failures + 1);
  const opId = deltas[0].opId;
  assert.ok(deltas.every((d) => d.opId === opId));
  assert.deepEqual(
    acks.map((a) => a.opId),
    [opId],
  );
  assert.equal(server.history.filter((d) => d.opId === opId).length, 1);
  await assertConverged(server, [session]);
  assert.equal(server.text(), 'stored at last');
  assert.equal(store.outbox(DOC, site).length, 0);

  // The ack started the backoff over: a close now is answered within about first (at most
  // 2 * first), not after the 640-1280 ms the seventh attempt would wait.
  const peer = [...server.sessions][0];
  const rejoined = rejoin(session);
  const closedAt = Date.now();
  peer.closeWith(unavailable(), 4503, 'document-unavailable');
  await within(rejoined, 'the rejoin after the ack');
  assert.equal(server.attempts.length, attemptsBefore + failures + 1);
  const waited = server.attempts[attemptsBefore + failures] - closedAt;
  assert.ok(waited < 300, `reconnected ${waited} ms after a close that followed an ack (retry.first ${retry.first})`);
});

test('presence: the others are listed with their carets, which follow the text; one that leaves is removed', async () => {
  const server = new TestServer();
  const a = await joined(server);
  const b = await joined(server);
  a.session.edit(0, 0, 'hello world');
  await assertConverged(server, [a.session, b.session]);

  const seen = new Promise((resolve) => {
    b.session.addEventListener('presence', function check() {
      if (b.session.people().has(/** @type {number} */ (a.session.site))) {
        b.session.removeEventListener('presence', check);
        resolve(undefined);
      }
    });
  });
  a.session.setPresence('Ada', { anchor: 6, head: 11 }); // "world" selected
  await within(seen, "a in b's list");
  const ada = b.session.people().get(/** @type {number} */ (a.session.site));
  assert.deepEqual(ada, { name: 'Ada', caret: { anchor: 6, head: 11 } });

  // b types before the selection: a's caret, kept as identifiers, moves with the text.
  b.session.edit(0, 0, '>> ');
  assert.deepEqual(b.session.people().get(/** @type {number} */ (a.session.site))?.caret, { anchor: 9, head: 14 });
  assert.ok(!a.session.people().has(/** @type {number} */ (a.session.site)), 'nobody sees themselves');

  const gone = new Promise((resolve) =>
    b.session.addEventListener('presence', () => b.session.people().size === 0 && resolve(undefined)),
  );
  a.session.stop();
  await within(gone, "a to leave b's list");
  assert.ok(
    !server.sent.some((f) => f.type === 'presence' && f.caret && typeof f.caret.anchor === 'number'),
    'carets travel as identifiers',
  );
});

test('pings come three times within the idle timeout the server announces', async () => {
  const server = new TestServer();
  server.idleSeconds = 3;
  const { session } = await joined(server);
  const pingsBefore = server.sent.filter((f) => f.type === 'ping').length;
  await tick(2300);
  const pings = server.sent.filter((f) => f.type === 'ping').length - pingsBefore;
  assert.ok(pings >= 2, `${pings} pings in 2.3 s with a 3 s idle timeout`);
  assert.equal(session.state, 'online');
});

test('saved() resolves once the session has ended, even with a save scheduled', async () => {
  const server = new TestServer();
  const { session } = await joined(server);
  session.edit(0, 0, 'soon deleted');
  const peer = [...server.sessions][0];
  peer.close(4410, 'document-deleted');
  await within(new Promise((resolve) => session.addEventListener('notice', resolve, { once: true })), 'the notice');
  await within(session.saved(), 'saved() after the end');
});

test('a paste larger than a frame goes out in several frames the server takes', async () => {
  const server = new TestServer();
  const { session } = await joined(server);
  session.edit(0, 0, 'p'.repeat(30_000));
  await assertConverged(server, [session]);
  const frames = server.sent.filter((f) => f.type === 'delta');
  assert.ok(frames.length > 1, `${frames.length} frames`);
  for (const frame of frames) {
    assert.ok(JSON.stringify(frame).length < 300 * 1024);
    assert.ok(frame.ops.length <= 1000, `${frame.ops.length} operations in one delta`);
  }
  assert.equal(server.text().length, 30_000);
});

test('an edit whose ack was lost, deleted while its author was away and forgotten by the server, stays deleted', async () => {
  const server = new TestServer();
  server.catchUp = 2;
  let aliceAway = false;
  /** Alice's connections fail while she is away; Bob's do not. @type {typeof server.connect} */
  const aliceConnects = (url, protocols) => {
    if (!aliceAway) return server.connect(url, protocols);
    server.online = false;
    try {
      return server.connect(url, protocols);
    } finally {
      server.online = true;
    }
  };
  const alice = open(server, new MemoryEditStore(), { openSocket: aliceConnects });
  await alice.session.start();
  await within(alice.session.quiet(), 'alice joins');
  const bob = await joined(server);

  aliceAway = true;
  server.dropBeforeAckTo = alice.session.site;
  alice.session.edit(0, 0, 'x');
  await within(nextEvent(bob.session, 'change'), 'bob sees the x');
  bob.session.edit(0, 1, '');
  for (let i = 0; i < 3; i++) bob.session.edit(bob.session.length, 0, 'y');
  await assertConverged(server, [bob.session]);
  assert.equal(server.replica.tombstoneCount, 0, 'the server remembers no delete');
  assert.equal(alice.session.pending, 1, 'the x waits for its ack');

  aliceAway = false; // she comes back beyond the catch-up window: a snapshot without the x or its delete
  await assertConverged(server, [alice.session, bob.session]);
  assert.equal(alice.session.text, 'yyy');
});
