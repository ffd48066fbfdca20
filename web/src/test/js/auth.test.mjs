// The auth client (auth.js) with a fake fetch, fake timers and a fake localStorage: the token
// stays in memory, one refresh serves every caller, a 401 is retried once after a refresh, being
// signed out and being offline are told apart, and `next` never leads off the origin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  Auth,
  AuthError,
  OfflineError,
  safeNextPath,
  SignedOutError,
  tokenLife,
  USER_KEY,
} from '../../main/webapp/js/auth.js';

const ADA = { id: '00000000-0000-4000-8000-000000000001', name: 'editor', groups: ['writer'] };

/** A readable JWT (unsigned: the client never checks signatures, the server does). */
function jwt({ iat = 1000, exp = 1030, sub = ADA.id } = {}) {
  const part = (/** @type {object} */ value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part({ iat, exp, sub, n: Math.random() })}.signature`;
}

/** A login or refresh answer. @param {string} accessToken */
const grant = (accessToken, user = ADA) => Response.json({ accessToken, expiresAt: 0, user });

/** localStorage as a Map, to look into. */
function memoryStorage() {
  const map = new Map();
  return {
    map,
    getItem: (/** @type {string} */ key) => map.get(key) ?? null,
    setItem: (/** @type {string} */ key, /** @type {string} */ value) => void map.set(key, String(value)),
    removeItem: (/** @type {string} */ key) => void map.delete(key),
  };
}

/**
 * An Auth whose fetch answers with `handler`, and whose timers the test fires by hand.
 * @param {(url: string, init: RequestInit) => Promise<Response> | Response} handler
 * @param {{storage?: ReturnType<typeof memoryStorage>, now?: () => number}} [options]
 */
function setUp(handler, { storage = memoryStorage(), now = () => 0 } = {}) {
  /** @type {Array<{url: string, init: RequestInit}>} */
  const calls = [];
  /** @type {Array<{task: () => void, ms: number, cleared: boolean}>} */
  const timers = [];
  const auth = new Auth({
    root: '/app',
    fetch: async (url, init = {}) => {
      calls.push({ url: String(url), init });
      return handler(String(url), init);
    },
    storage,
    now,
    setTimer: (task, ms) => {
      const timer = { task, ms, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => {
      if (timer) /** @type {{cleared: boolean}} */ (timer).cleared = true; // made by setTimer above
    },
    locks: null,
  });
  return { auth, calls, timers, storage };
}

/** @param {RequestInit} init @param {string} name */
const header = (init, name) => new Headers(init.headers).get(name);

test('on page load: a refresh with the cookie and the CSRF header; the user is kept, the token is not', async () => {
  const token = jwt();
  const { auth, calls, storage } = setUp(() => grant(token));
  assert.deepEqual(await auth.start(), ADA);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].url, '/app/api/auth/refresh');
  assert.equal(calls[0].init.method, 'POST');
  assert.equal(header(calls[0].init, 'X-Folio-CSRF'), '1');
  assert.equal(calls[0].init.credentials, 'same-origin');
  assert.equal(calls[0].init.keepalive, true, 'a refresh cut off by a navigation still brings its cookie');
  assert.deepEqual(JSON.parse(storage.map.get(USER_KEY)), ADA);
  for (const value of storage.map.values()) assert.ok(!value.includes(token), 'no token in localStorage');
  assert.equal(await auth.token(), token, 'the token is in memory');
  assert.equal(calls.length, 1, 'and used as it is while it lasts');
});

test('callers that come while a refresh is under way share it: one request', async () => {
  /** @type {(response: Response) => void} */
  let answer = () => {};
  const { auth, calls } = setUp(() => new Promise((resolve) => (answer = resolve)));
  const waiting = [auth.token(), auth.token(), auth.refresh(), auth.token({ replacing: 'old' })];
  await new Promise((resolve) => setImmediate(resolve));
  const token = jwt();
  answer(await grant(token));
  assert.deepEqual(await Promise.all(waiting), [token, token, token, token]);
  assert.equal(calls.length, 1);
  assert.equal(await auth.token(), token);
  assert.equal(calls.length, 1);
});

test('refreshed at 70 % of the token life, from the token itself whatever the clocks say', async () => {
  let tokens = 0;
  // The server's expiresAt is days away from this clock; the token says it lives 300 s.
  const { auth, timers } = setUp(() => {
    tokens++;
    return Response.json({ accessToken: jwt({ iat: 5000, exp: 5300 }), expiresAt: 9e12, user: ADA });
  });
  /** @type {string[]} */
  const announced = [];
  auth.addEventListener('token', (e) => announced.push(/** @type {CustomEvent} */ (e).detail.token));
  await auth.start();
  assert.equal(timers.length, 1);
  assert.equal(timers[0].ms, 210_000);
  timers[0].task();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(tokens, 2);
  assert.equal(announced.length, 2, "each new token is announced (the page's sockets send it)");
  assert.equal(timers.length, 2, 'and the next refresh is planned');
  assert.equal(tokenLife('not-a-jwt', 61_000, 1_000), 60_000, 'without a readable token: expiresAt');
});

test('an expired token is refreshed before use', async () => {
  let clock = 0;
  let count = 0;
  const { auth, calls } = setUp(() => grant(jwt({ iat: 0, exp: 30, sub: String(++count) })), { now: () => clock });
  const first = await auth.token();
  clock = 26_000; // 30 s life, used up to 27 s
  assert.equal(await auth.token(), first);
  clock = 27_500;
  assert.notEqual(await auth.token(), first);
  assert.equal(calls.length, 2);
});

test('fetch: Bearer token; a 401 is retried once after a refresh, and many 401s at once share it', async () => {
  let issued = 0;
  /** @type {string[]} */
  const valid = [];
  const { auth, calls } = setUp((url, init) => {
    if (url.endsWith('/api/auth/refresh')) {
      const token = jwt({ sub: `t${++issued}` });
      valid.splice(0, valid.length, token); // only the newest is good
      return grant(token);
    }
    const bearer = header(init, 'Authorization')?.replace('Bearer ', '');
    return bearer && valid.includes(bearer) ? Response.json({ ok: true }) : new Response(null, { status: 401 });
  });
  await auth.start();
  valid.length = 0; // revoked on the server
  const responses = await Promise.all([
    auth.fetch('/api/documents'),
    auth.fetch('/api/users'),
    auth.fetch('/api/auth/me'),
  ]);
  assert.deepEqual(
    responses.map((r) => r.status),
    [200, 200, 200],
  );
  assert.equal(
    calls.filter((c) => c.url.endsWith('/refresh')).length,
    2,
    'one refresh on load, one for the three 401s',
  );
  assert.equal(calls.filter((c) => !c.url.endsWith('/refresh')).length, 6, 'each call sent twice');
  assert.equal(header(calls[calls.length - 1].init, 'Authorization'), `Bearer ${valid[0]}`);
  assert.equal(calls[1].url, '/app/api/documents');

  // A 401 again after the retry is the answer: no third try.
  const refusing = setUp((url) => (url.endsWith('/refresh') ? grant(jwt()) : new Response(null, { status: 401 })));
  assert.equal((await refusing.auth.fetch('/api/documents')).status, 401);
  assert.equal(refusing.calls.length, 4, 'refresh, call, refresh, call');
});

test('a refresh answered 401 signs the page out: told once, and nothing more is asked of the server', async () => {
  const { auth, calls } = setUp(() =>
    Response.json({ status: 401, code: 'signed-out', error: 'signed out' }, { status: 401 }),
  );
  /** @type {any[]} */
  const told = [];
  auth.addEventListener('signed-out', (e) => told.push(/** @type {CustomEvent} */ (e).detail));
  assert.equal(await auth.start(), null);
  await assert.rejects(auth.token(), SignedOutError);
  await assert.rejects(auth.fetch('/api/documents'), SignedOutError);
  assert.deepEqual(told, [{ userChanged: false }]);
  assert.equal(calls.length, 1);
});

test('offline (a network error): the kept user goes on working; the token comes once the network is back', async () => {
  const storage = memoryStorage();
  storage.setItem(USER_KEY, JSON.stringify(ADA));
  let online = false;
  const token = jwt();
  const { auth } = setUp(
    () => {
      if (!online) throw new TypeError('Failed to fetch');
      return grant(token);
    },
    { storage },
  );
  /** @type {any[]} */
  const told = [];
  auth.addEventListener('signed-out', (e) => told.push(e));
  assert.deepEqual(await auth.start(), ADA);
  await assert.rejects(auth.token(), OfflineError);
  assert.equal(told.length, 0, 'offline is not signed out');
  online = true;
  assert.equal(await auth.token(), token);

  const server503 = setUp(() => new Response('', { status: 503 }), { storage });
  assert.deepEqual(await server503.auth.start(), ADA, 'a server that cannot answer is like no network');
});

test('the cookie now signs in another user (another tab): this page is signed out, not switched', async () => {
  let user = ADA;
  const { auth } = setUp(() => grant(jwt(), user));
  /** @type {any[]} */
  const told = [];
  auth.addEventListener('signed-out', (e) => told.push(/** @type {CustomEvent} */ (e).detail));
  await auth.start();
  user = { id: '00000000-0000-4000-8000-000000000002', name: 'editor2', groups: [] };
  const refused = await auth.refresh().catch((e) => e);
  assert.ok(refused instanceof SignedOutError && refused.userChanged);
  assert.deepEqual(told, [{ userChanged: true }]);
});

test('login: the password with the CSRF header; refused sign-ins say why', async () => {
  const { auth, calls, storage } = setUp((url, init) => {
    const { username, password } = JSON.parse(String(init.body));
    if (username === 'off') return Response.json({ status: 404, code: 'not-found', error: 'no' }, { status: 404 });
    return username === password
      ? grant(jwt())
      : Response.json({ status: 401, code: 'bad-credentials', error: 'wrong' }, { status: 401 });
  });
  const refused = await auth.login('editor', 'wrong').catch((e) => e);
  assert.ok(refused instanceof AuthError);
  assert.equal(refused.code, 'bad-credentials');
  assert.equal((await auth.login('off', 'x').catch((e) => e)).status, 404);
  assert.equal(storage.map.has(USER_KEY), false);
  assert.deepEqual(await auth.login('editor', 'editor'), ADA);
  assert.equal(calls[0].url, '/app/api/auth/login');
  assert.equal(header(calls[0].init, 'X-Folio-CSRF'), '1');
  assert.equal(header(calls[0].init, 'Content-Type'), 'application/json');
  assert.deepEqual(JSON.parse(storage.map.get(USER_KEY)), ADA);
});

test('logout: cookie call with the Bearer token too; the user and token are forgotten; offline it refuses', async () => {
  const token = jwt();
  let online = true;
  const { auth, calls, storage, timers } = setUp((url) => {
    if (!online) throw new TypeError('Failed to fetch');
    return url.endsWith('/logout') ? new Response(null, { status: 204 }) : grant(token);
  });
  await auth.start();
  online = false;
  await assert.rejects(auth.logout(), OfflineError);
  assert.equal(storage.map.has(USER_KEY), true, 'nothing changed');
  online = true;
  await auth.logout();
  const logout = calls[calls.length - 1];
  assert.equal(logout.url, '/app/api/auth/logout');
  assert.equal(header(logout.init, 'X-Folio-CSRF'), '1');
  assert.equal(header(logout.init, 'Authorization'), `Bearer ${token}`);
  assert.equal(storage.map.has(USER_KEY), false);
  assert.ok(
    timers.every((timer) => timer.cleared),
    'no refresh planned any more',
  );
  await assert.rejects(auth.token(), SignedOutError);
});

test('refreshes of all tabs take turns through a Web Lock', async () => {
  /** @type {string[]} */
  const locked = [];
  const auth = new Auth({
    fetch: async () => grant(jwt()),
    storage: memoryStorage(),
    locks: {
      request: async (name, task) => {
        locked.push(name);
        return task();
      },
    },
  });
  await auth.start();
  auth.stop();
  assert.deepEqual(locked, ['folio:auth-refresh']);
});

test('next: only a path of this origin, never a way to another site', () => {
  const origin = 'https://folio.example';
  const next = (/** @type {any} */ value) => safeNextPath(value, origin, '/');
  assert.equal(next('/documents/3f0d6a52'), '/documents/3f0d6a52');
  assert.equal(next('/admin.html?x=1#y'), '/admin.html?x=1#y');
  assert.equal(next('/a/../b'), '/b');
  for (const bad of [
    null,
    undefined,
    '',
    'documents/x',
    '//evil.example/',
    '/\\evil.example',
    '\\\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    'https://evil.example/',
    'javascript:alert(1)',
    ' /documents/x',
  ]) {
    assert.equal(next(bad), '/', JSON.stringify(bad));
  }
});
