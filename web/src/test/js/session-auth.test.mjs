// DocumentSession and authentication (docs/security.md) against the in-process test
// server: the token goes in the subprotocol, is renewed on the open socket before it expires, a
// 4401 or a refused handshake gets a new one, signing out keeps the outbox for after signing in
// again, viewers never send an edit, and a browser's records belong to their user.
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { Auth } from '../../main/webapp/js/auth.js';
import { DocumentSession } from '../../main/webapp/js/document-session.js';
import { MemoryEditStore } from '../../main/webapp/js/edit-store.js';
import { TestIssuer, TestServer } from './test-server.mjs';
import { assertConverged, nextEvent, tick, within } from './session-helpers.mjs';

const DOC = '3f0d6a52-5d8e-4a57-9a57-3f1f5b6f0d22';
const ADA = 'user-ada';
const BOB = 'user-bob';

/** @type {DocumentSession[]} */
const running = [];
afterEach(() => {
  for (const session of running.splice(0)) session.stop();
});

/**
 * What a page's Auth is to the session, in its simplest form: the token it has, a new one when
 * asked to replace it (or it has none), and a switch for being signed out or offline.
 * @param {TestIssuer} issuer @param {string} userId
 */
function tokens(issuer, userId) {
  const provider = {
    /** @type {string | null} */ current: null,
    /** @type {Array<string | undefined>} what each call asked to replace */ calls: /** @type {any[]} */ ([]),
    signedOut: false,
    offline: false,
    /** @param {string} [replacing] */
    getToken: async (replacing) => {
      provider.calls.push(replacing);
      if (provider.signedOut) throw Object.assign(new Error('signed out'), { signedOut: true });
      if (provider.offline) throw new Error('offline');
      if (!provider.current || provider.current === replacing) provider.current = issuer.issue(userId);
      return provider.current;
    },
  };
  return provider;
}

/**
 * A signed-in page's session.
 * @param {TestServer} server @param {string} userId @param {object} [options]
 * @param {MemoryEditStore} [options.store] @param {ReturnType<typeof tokens>} [options.provider]
 */
function open(
  server,
  userId,
  { store = new MemoryEditStore(), provider = tokens(/** @type {TestIssuer} */ (server.issuer), userId) } = {},
) {
  const session = new DocumentSession({
    documentId: DOC,
    url: 'ws://test/ws/documents/' + DOC,
    store,
    userId,
    getToken: provider.getToken,
    openSocket: server.connect,
    isOnline: () => server.online,
    retry: { first: 5, max: 40 },
    saveDelay: 5,
  });
  running.push(session);
  return { session, store, provider };
}

/** @param {TestServer} server @param {string} userId @param {Parameters<typeof open>[2]} [options] */
async function joined(server, userId, options) {
  const opened = open(server, userId, options);
  await opened.session.start();
  await within(opened.session.quiet(), 'the first join');
  return opened;
}

function authenticatingServer() {
  const server = new TestServer();
  server.issuer = new TestIssuer();
  return server;
}

/** Whether `part`'s characters appear in `whole` in the same order. @param {string} part @param {string} whole */
function isSubsequence(part, whole) {
  let at = 0;
  for (const character of whole) if (character === part[at]) at++;
  return at === part.length;
}

/** @param {TestServer} server @param {string} type */
const sentOfType = (server, type) => server.sent.filter((frame) => frame.type === type);

test('the token goes in the subprotocol, never in the URL, and joined says the role', async () => {
  const server = authenticatingServer();
  /** @type {Array<{url: string, protocols: string[]}>} */
  const opened = [];
  const connect = server.connect;
  server.connect = (url, protocols = []) => {
    opened.push({ url, protocols });
    return connect(url, protocols);
  };
  const { session, provider } = await joined(server, ADA);
  assert.deepEqual(opened, [
    { url: 'ws://test/ws/documents/' + DOC, protocols: ['folio.v1', `folio.bearer.${provider.current}`] },
  ]);
  assert.equal(session.role, 'owner');
  assert.equal(typeof session.tokenExpiresAt, 'number');
});

test('typing across several token lives: renewed on the same socket, nothing lost, nothing doubled', async () => {
  const server = authenticatingServer();
  // A warning 400 ms after each token is issued, 1.1 s before it expires: renewed often, with
  // room for a slow machine.
  server.issuer = new TestIssuer();
  server.issuer.life = 1500;
  server.warnBefore = 1100;
  const ada = await joined(server, ADA);
  const bob = await joined(server, BOB);
  const firstExpiry = ada.session.tokenExpiresAt;

  let typed = '';
  const until = Date.now() + 1500; // about four renewals
  for (let i = 0; Date.now() < until; i++) {
    const character = String.fromCharCode(97 + (i % 26));
    ada.session.edit(ada.session.length, 0, character);
    typed += character;
    await tick(8);
  }
  await assertConverged(server, [ada.session, bob.session]);
  assert.equal(server.text(), typed);
  assert.equal(server.closes4401, 0, 'no socket had to be closed for its token');
  assert.equal(sentOfType(server, 'join').length, 2, 'each session joined once');
  for (const user of [ADA, BOB]) {
    const renewals = sentOfType(server, 'auth').filter((frame) => frame.token.endsWith(user)).length;
    assert.ok(renewals >= 2, `${user} renewed its token ${renewals} times`);
  }
  assert.ok(/** @type {number} */ (ada.session.tokenExpiresAt) > /** @type {number} */ (firstExpiry));
  const inserts = server.history.flatMap((delta) => delta.ops.filter((op) => op.type === 'insert'));
  assert.equal(inserts.length, typed.length, 'every keystroke applied once');
});

test('a token the page refreshed on its own is sent on the open socket, once', async () => {
  const server = authenticatingServer();
  const ada = await joined(server, ADA);
  const fresh = server.issuer?.issue(ADA) ?? '';
  const authenticated = nextEvent(ada.session, 'status'); // any frame handled
  ada.session.authenticate(fresh);
  ada.session.authenticate(fresh);
  await authenticated;
  await tick(5);
  assert.deepEqual(sentOfType(server, 'auth'), [{ type: 'auth', token: fresh }]);
  const peer = [...server.sessions][0];
  assert.equal(peer.token, fresh, 'the server holds the new token');
  assert.equal(ada.session.tokenExpiresAt, peer.expiresAt, 'authenticated told the new expiry');
});

test('closed 4401 with edits on the way: a new token, a new join, the outbox resent once', async () => {
  const server = authenticatingServer();
  const ada = await joined(server, ADA);
  const bob = await joined(server, BOB);
  ada.session.edit(0, 0, 'kept ');
  await assertConverged(server, [ada.session, bob.session]);
  const refused = ada.provider.current;

  server.deaf = true; // the next edits are lost on the way: they stay in the outbox
  ada.session.edit(5, 0, 'across');
  ada.session.edit(11, 0, ' the expiry');
  await tick(5);
  assert.equal(ada.session.pending, 2);
  server.deaf = false;
  const peer = [...server.sessions].find((s) => s.userId === ADA);
  peer?.refuseToken('token-expired');

  await assertConverged(server, [ada.session, bob.session]);
  assert.equal(server.text(), 'kept across the expiry');
  assert.ok(ada.provider.calls.includes(refused ?? ''), 'the session asked to replace the refused token');
  assert.notEqual(ada.provider.current, refused);
  const adaHandshakes = server.handshakes.filter((h) => h.token?.endsWith(ADA));
  assert.deepEqual(
    adaHandshakes.map((h) => h.accepted),
    [true, true],
  );
  const inserts = server.history.flatMap((delta) => delta.ops.filter((op) => op.type === 'insert'));
  assert.equal(inserts.length, 'kept across the expiry'.length, 'nothing applied twice');
});

test('a connection refused at the handshake gets a new token before the next attempt', async () => {
  const server = authenticatingServer();
  const provider = tokens(/** @type {TestIssuer} */ (server.issuer), ADA);
  provider.current = server.issuer?.issue(ADA, 1) ?? null; // expired by the time it is used
  await tick(5);
  const { session } = await joined(server, ADA, { provider });
  assert.equal(session.state, 'online');
  assert.deepEqual(
    server.handshakes.map((h) => h.accepted),
    [false, true],
  );
  assert.notEqual(server.handshakes[0].token, server.handshakes[1].token);
});

test('signed out: no more connecting, the outbox kept, and sent once the person has signed in again', async () => {
  const server = authenticatingServer();
  const browser = new MemoryEditStore();
  const ada = await joined(server, ADA, { store: browser });
  ada.session.edit(0, 0, 'online. ');
  await assertConverged(server, [ada.session]);
  const site = /** @type {number} */ (ada.session.site);

  // Offline, Ada types; meanwhile her tokens are revoked (an admin's "sign out everywhere") and
  // her page can no longer refresh.
  server.online = false;
  server.dropAll();
  ada.session.networkLost();
  ada.session.edit(8, 0, 'offline');
  server.issuer?.revokeUser(ADA);
  ada.provider.signedOut = true;
  const notice = nextEvent(ada.session, 'notice');
  server.online = true;
  ada.session.networkBack();
  assert.equal((await within(notice, 'the signed-out notice')).reason, 'signed-out');
  assert.equal(ada.session.state, 'signed-out');

  const attempts = server.handshakes.length;
  ada.session.networkBack(); // the network coming back does not start it again
  ada.session.edit(15, 0, '!'); // still kept, to be sent later
  await tick(60);
  assert.equal(server.handshakes.length, attempts, 'it stopped connecting');
  assert.equal(ada.session.pending, 2);
  await ada.session.stored();
  assert.equal(browser.outbox(DOC, site).length, 2, 'the edits wait in the browser');
  assert.equal(server.text(), 'online. ');
  ada.session.stop();

  // Signed in again: the page loads again, claims the record and sends what waited.
  const again = await joined(server, ADA, { store: browser });
  assert.equal(again.session.site, site);
  await assertConverged(server, [again.session]);
  assert.equal(server.text(), 'online. offline!');
  assert.equal(browser.outbox(DOC, site).length, 0);
});

test('a viewer sees every edit and never sends one', async () => {
  const server = authenticatingServer();
  server.roles.set(BOB, 'viewer');
  const ada = await joined(server, ADA);
  const bob = await joined(server, BOB);
  assert.equal(bob.session.role, 'viewer');
  assert.equal(bob.session.editable, false);
  assert.throws(() => bob.session.edit(0, 0, 'x'));
  ada.session.edit(0, 0, 'Ada writes, ');
  ada.session.edit(12, 0, 'Bob reads.');
  await assertConverged(server, [ada.session, bob.session]);
  assert.equal(bob.session.text, 'Ada writes, Bob reads.');
  const bobSite = bob.session.site;
  assert.equal(
    server.history.filter((delta) => delta.site === bobSite).length +
      sentOfType(server, 'delta').filter((f) => f.opId.startsWith(`${bobSite}-`)).length,
    0,
    'no delta from the viewer',
  );
});

test("edits kept from before the person became a viewer are dropped with a notice, and the copy is the server's", async () => {
  const server = authenticatingServer();
  const browser = new MemoryEditStore();
  const owner = await joined(server, ADA);
  owner.session.edit(0, 0, 'shared');
  server.roles.set(BOB, 'editor');
  const bob = await joined(server, BOB, { store: browser });
  await assertConverged(server, [owner.session, bob.session]);
  server.online = false;
  server.dropAll();
  bob.session.networkLost();
  bob.session.edit(0, 0, 'mine ');
  await bob.session.stored();
  await bob.session.saveNow();
  bob.session.stop();
  server.online = true;
  owner.session.networkBack();

  server.roles.set(BOB, 'viewer');
  const again = open(server, BOB, { store: browser });
  const notice = nextEvent(again.session, 'notice');
  await again.session.start();
  assert.equal(again.session.text, 'mine shared', 'the kept copy shows first');
  assert.equal((await within(notice, 'the view-only notice')).reason, 'view-only');
  await assertConverged(server, [owner.session, again.session]);
  assert.equal(again.session.text, 'shared');
  assert.equal(again.session.editable, false);
  assert.ok(!server.sent.some((f) => f.type === 'delta' && f.opId.startsWith(`${again.session.site}-`)));
});

test('made a viewer while editing: the refused edit (read-only) is dropped, and the session is read-only', async () => {
  const server = authenticatingServer();
  server.roles.set(BOB, 'editor');
  const ada = await joined(server, ADA);
  const bob = await joined(server, BOB);
  bob.session.edit(0, 0, 'before');
  await assertConverged(server, [ada.session, bob.session]);
  server.roles.set(BOB, 'viewer');
  const notice = nextEvent(bob.session, 'notice');
  bob.session.edit(6, 0, ' after');
  const detail = await within(notice, 'the refused edit');
  assert.equal(detail.reason, 'rejected-edit');
  assert.equal(detail.code, 'read-only'); // the page words it (editor-page.js)
  assert.equal(bob.session.editable, false);
  await assertConverged(server, [ada.session, bob.session]);
  assert.equal(bob.session.text, 'before');
  assert.equal(bob.session.role, 'viewer');
});

for (const code of ['too-many-operations', 'document-too-large']) {
  test(`an edit refused with ${code} is dropped with its code for the page to word, and editing goes on`, async () => {
    const server = authenticatingServer();
    const ada = await joined(server, ADA);
    ada.session.edit(0, 0, 'fine');
    await assertConverged(server, [ada.session]);
    const receive = server.receive.bind(server);
    server.receive = (session, frame) => {
      if (frame.type === 'delta' && frame.ops.some((/** @type {any} */ op) => op.text === '!')) {
        session.send({ type: 'error', code, message: 'refused in a test', opId: frame.opId });
        return;
      }
      receive(session, frame);
    };
    const notice = nextEvent(ada.session, 'notice');
    ada.session.edit(4, 0, '!');
    const detail = await within(notice, 'the notice');
    assert.equal(detail.reason, 'rejected-edit');
    assert.equal(detail.code, code);
    await assertConverged(server, [ada.session]);
    assert.equal(ada.session.text, 'fine');
    ada.session.edit(4, 0, ' still');
    await assertConverged(server, [ada.session]);
    assert.equal(server.text(), 'fine still');
  });
}

test('too-many-sessions (4429): the person is told, and the session joins again after a backoff', async () => {
  const server = authenticatingServer();
  const receive = server.receive.bind(server);
  let refusals = 2;
  server.receive = (session, frame) => {
    if (frame.type === 'join' && refusals-- > 0) {
      session.send({ type: 'error', code: 'too-many-sessions', message: 'too many sessions' });
      setImmediate(() => session.close(4429, 'too-many-sessions')); // after the error frame, as the server does
      return;
    }
    receive(session, frame);
  };
  const { session } = open(server, ADA);
  const notice = nextEvent(session, 'notice');
  await session.start();
  assert.equal((await within(notice, 'the notice')).reason, 'too-many-sessions');
  await within(session.quiet(), 'joining at last');
  assert.equal(sentOfType(server, 'join').length, 3);
});

test("another user's records are not claimed; records from before users are, and become the claimer's", async () => {
  const server = authenticatingServer();
  const browser = new MemoryEditStore();
  // Ada typed offline, and her page was closed.
  const ada = await joined(server, ADA, { store: browser });
  server.online = false;
  server.dropAll();
  ada.session.networkLost();
  ada.session.edit(0, 0, "Ada's");
  await ada.session.stored();
  ada.session.stop();
  server.online = true;
  assert.equal(await browser.pendingOf(ADA), 1);

  // Bob signs in on the same computer and opens the document: a record of his own.
  const bob = await joined(server, BOB, { store: browser });
  assert.notEqual(bob.session.site, ada.session.site);
  assert.equal(bob.session.text, '', "Ada's copy is not shown to Bob");
  bob.session.edit(0, 0, "Bob's");
  await assertConverged(server, [bob.session]);
  assert.equal(server.text(), "Bob's", "Ada's edit was not sent under Bob's name");
  bob.session.stop();

  // Ada comes back: her record, her edit.
  const again = await joined(server, ADA, { store: browser });
  assert.equal(again.session.site, ada.session.site);
  await assertConverged(server, [again.session]);
  // Typed at the same place concurrently, the two runs may interleave (docs/lseq.md); each keeps its order.
  assert.ok(isSubsequence("Ada's", server.text()) && isSubsequence("Bob's", server.text()), server.text());
  assert.equal(server.text().length, 10);
  again.session.stop();

  // A record from before users (no user id) goes to whoever opens the document first.
  const legacy = new MemoryEditStore();
  legacy.putLegacy(DOC, 999, { nextCounter: 0, nextOp: 0 }, []);
  const claimed = await legacy.claim(DOC, BOB);
  assert.equal(claimed?.site, 999);
  legacy.release();
  assert.equal(await legacy.claim(DOC, ADA), null, "now it is Bob's");
});

test('a memory store forgets one user and counts their waiting edits', async () => {
  const store = new MemoryEditStore();
  await store.adopt(DOC, 101, ADA);
  await store.adopt(DOC, 102, BOB);
  await store.append(DOC, 101, { nextCounter: 1, nextOp: 1 }, { seq: 0, opId: '101-0', ops: [] });
  await store.append(DOC, 101, { nextCounter: 2, nextOp: 2 }, { seq: 1, opId: '101-1', ops: [] });
  await store.append(DOC, 102, { nextCounter: 1, nextOp: 1 }, { seq: 0, opId: '102-0', ops: [] });
  assert.equal(await store.pendingOf(ADA), 2);
  assert.equal(await store.pendingOf(BOB), 1);
  await store.forgetUser(ADA);
  store.release();
  assert.equal(await store.pendingOf(ADA), 0);
  assert.equal(await store.claim(DOC, ADA), null);
  assert.equal((await store.claim(DOC, BOB))?.site, 102);
});

test("a page's Auth and its session together: one refresh per token life, each sent once, on one socket", async () => {
  const server = authenticatingServer();
  const issuer = /** @type {TestIssuer} */ (server.issuer);
  issuer.life = 1500;
  server.warnBefore = 1100; // the server warns (at 27 %) before the page's own refresh (at 70 %) is due
  let refreshes = 0;
  /** @type {Map<string, string>} */
  const storage = new Map();
  const auth = new Auth({
    fetch: async (url) => {
      assert.equal(String(url), '/api/auth/refresh');
      refreshes++;
      const accessToken = issuer.issue(ADA);
      const { expiresAt } = /** @type {{expiresAt: number}} */ (issuer.check(accessToken));
      return Response.json({ accessToken, expiresAt, user: { id: ADA, name: 'Ada', groups: ['writer'] } });
    },
    storage: {
      getItem: (key) => storage.get(key) ?? null,
      setItem: (key, value) => void storage.set(key, value),
      removeItem: (key) => void storage.delete(key),
    },
    locks: null,
  });
  await auth.start();
  const session = new DocumentSession({
    documentId: DOC,
    url: 'ws://test/ws/documents/' + DOC,
    store: new MemoryEditStore(),
    userId: ADA,
    getToken: (replacing) => auth.token({ replacing }),
    openSocket: server.connect,
    retry: { first: 5, max: 40 },
    saveDelay: 5,
  });
  running.push(session);
  auth.addEventListener('token', (event) => session.authenticate(/** @type {CustomEvent} */ (event).detail.token));
  await session.start();
  await within(session.quiet(), 'joined');
  for (let i = 0; i < 60; i++) {
    session.edit(session.length, 0, 'x');
    await tick(25);
  }
  await assertConverged(server, [session]);
  auth.stop();
  assert.equal(server.text(), 'x'.repeat(60));
  assert.equal(server.closes4401, 0);
  assert.equal(sentOfType(server, 'join').length, 1);
  const auths = sentOfType(server, 'auth');
  assert.ok(refreshes >= 3, `${refreshes} refreshes`);
  assert.equal(auths.length, refreshes - 1, 'every refreshed token but the first went out once, as an auth frame');
  assert.equal(new Set(auths.map((frame) => frame.token)).size, auths.length);
  assert.ok(![...storage.values()].some((value) => value.includes('token-')), 'no token in storage');
});
