// Folio's REST API as the tests see it: the server's word on what a document holds.

/** Where the stack under test answers; BrowserEditorIT sets it to the shared FolioStack. */
export const baseUrl = (process.env.FOLIO_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');

/**
 * @typedef {object} ServerDocument
 * @property {string} id
 * @property {string} title
 * @property {number} version
 * @property {string} text
 */

/**
 * @param {string} path below /api/
 * @param {RequestInit} [init]
 * @returns {Promise<Response>}
 */
async function call(path, init) {
  return fetch(`${baseUrl}/api/${path}`, init);
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
 * Creates a document and returns its id.
 * @param {string} title
 * @returns {Promise<string>}
 */
export async function createDocument(title) {
  const response = await call('documents', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ title }),
  });
  await check(response, `create "${title}"`, [200, 201]);
  return (await response.json()).id;
}

/**
 * The document as the server holds it (the read waits until what it shows is stored).
 * @param {string} id
 * @returns {Promise<ServerDocument>}
 */
export async function readDocument(id) {
  const response = await call(`documents/${id}`);
  await check(response, `read ${id}`, [200]);
  return response.json();
}

/**
 * @param {string} id
 * @returns {Promise<void>}
 */
export async function deleteDocument(id) {
  const response = await call(`documents/${id}`, { method: 'DELETE' });
  await check(response, `delete ${id}`, [200, 204]);
}

/**
 * The list the index page shows.
 * @returns {Promise<Array<{id: string, title: string}>>}
 */
export async function listDocuments() {
  const response = await call('documents');
  await check(response, 'list', [200]);
  return response.json();
}
