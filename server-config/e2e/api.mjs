// Folio's REST API as the tests see it: the server's word on what a document holds, as one of the
// development issuer's demo users (docs/security.md; the password is the user name).

/** Where the stack under test answers; BrowserEditorIT sets it to the shared FolioStack. */
export const baseUrl = (process.env.FOLIO_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');

/**
 * The demo users of the development issuer, by user name.
 * @type {Record<string, {id: string, groups: string[]}>}
 */
export const USERS = {
  editor: { id: '00000000-0000-4000-8000-000000000001', groups: ['writer'] },
  editor2: { id: '00000000-0000-4000-8000-000000000002', groups: ['writer'] },
  viewer: { id: '00000000-0000-4000-8000-000000000003', groups: [] },
  admin: { id: '00000000-0000-4000-8000-000000000004', groups: ['writer', 'admin'] },
};

/**
 * @typedef {object} ServerDocument
 * @property {string} id
 * @property {string} title
 * @property {number} version
 * @property {string} text
 * @property {string} [role]
 */

/** @typedef {{as?: string}} As which demo user makes the call (default `editor`, who owns the tests' documents) */

/** Access tokens of the demo users, signed in through the API (they live 30 s in the test stack). */
const tokens = new Map();

/**
 * POST /api/auth/login for a demo user.
 * @param {string} username
 * @returns {Promise<{accessToken: string, expiresAt: number, user: {id: string, name: string, groups: string[]}}>}
 */
export async function login(username) {
  const response = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Folio-CSRF': '1' },
    body: JSON.stringify({ username, password: username }),
  });
  await check(response, `sign in as ${username}`, [200]);
  return response.json();
}

/** @param {string} username */
async function tokenOf(username) {
  const kept = tokens.get(username);
  if (kept && kept.expiresAt - Date.now() > 5000) {
    return kept.accessToken;
  }
  const { accessToken, expiresAt } = await login(username);
  tokens.set(username, { accessToken, expiresAt });
  return accessToken;
}

/**
 * A call with a Bearer token; a 401 (the token was revoked meanwhile: a test signed the user out
 * everywhere) signs in again once, a second later: tokens carry whole seconds, and one issued in
 * the second of a sign-out counts as issued before it.
 * @param {string} path below /api/
 * @param {RequestInit & As} [init]
 * @returns {Promise<Response>}
 */
async function call(path, { as = 'editor', ...init } = {}) {
  const send = async () =>
    fetch(`${baseUrl}/api/${path}`, {
      ...init,
      headers: { ...init.headers, Authorization: `Bearer ${await tokenOf(as)}` },
    });
  const response = await send();
  if (response.status !== 401) {
    return response;
  }
  tokens.delete(as);
  await new Promise((resolve) => setTimeout(resolve, 1100));
  return send();
}

/**
 * @param {Response} response
 * @param {string} what
 * @param {number[]} expected statuses
 */
async function check(response, what, expected) {
  if (!expected.includes(response.status)) {
    throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
  }
}

/**
 * Creates a document (owned by `as`) and shares it: `share` maps user names to roles.
 * @param {string} title
 * @param {As & {share?: Record<string, 'editor' | 'viewer'>}} [options]
 * @returns {Promise<string>} its id
 */
export async function createDocument(title, { as = 'editor', share: members = {} } = {}) {
  const response = await call('documents', {
    as,
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  await check(response, `create "${title}"`, [200, 201]);
  const { id } = await response.json();
  for (const [user, role] of Object.entries(members)) {
    await share(id, user, role, { as });
  }
  return id;
}

/**
 * Makes `user` a member of the document with `role`.
 * @param {string} id @param {string} user @param {'editor' | 'viewer'} role @param {As} [options]
 */
export async function share(id, user, role, { as = 'editor' } = {}) {
  const response = await call(`documents/${id}/members/${USERS[user].id}`, {
    as,
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ role }),
  });
  await check(response, `share ${id} with ${user} as ${role}`, [200]);
}

/**
 * The document as the server holds it (the read waits until what it shows is stored).
 * @param {string} id
 * @param {As} [options]
 * @returns {Promise<ServerDocument>}
 */
export async function readDocument(id, { as = 'editor' } = {}) {
  const response = await call(`documents/${id}`, { as });
  await check(response, `read ${id}`, [200]);
  return response.json();
}

/**
 * The status the server answers to reading the document (404 once deleted, 403 not shared).
 * @param {string} id @param {As} [options]
 */
export async function readStatus(id, { as = 'editor' } = {}) {
  return (await call(`documents/${id}`, { as })).status;
}

/**
 * @param {string} id
 * @param {As} [options]
 * @returns {Promise<void>}
 */
export async function deleteDocument(id, { as = 'editor' } = {}) {
  const response = await call(`documents/${id}`, { as, method: 'DELETE' });
  await check(response, `delete ${id}`, [200, 204]);
}

/**
 * The list the index page shows to `as`.
 * @param {As} [options]
 * @returns {Promise<Array<{id: string, title: string, role: string}>>}
 */
export async function listDocuments({ as = 'editor' } = {}) {
  const response = await call('documents', { as });
  await check(response, 'list', [200]);
  return response.json();
}

/**
 * The admin's "sign out everywhere": every token of `user` issued until now stops working.
 * @param {string} user
 */
export async function signOutEverywhere(user) {
  const response = await call(`admin/users/${USERS[user].id}/sign-out`, { as: 'admin', method: 'POST' });
  await check(response, `sign ${user} out everywhere`, [200, 204]);
  tokens.delete(user);
}
