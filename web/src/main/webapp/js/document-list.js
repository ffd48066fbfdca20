// The start page: the documents shared with the signed-in person, with their role in each, and
// for writers a form that creates one and opens it.

import { appRoot, reason, registerServiceWorker, signedInPage } from './account.js';

const list = /** @type {HTMLUListElement} */ (document.getElementById('documents'));
const form = /** @type {HTMLFormElement} */ (document.getElementById('create'));
const problem = /** @type {HTMLElement} */ (document.getElementById('problem'));
const more = /** @type {HTMLButtonElement} */ (document.getElementById('more'));

/** Documents come in pages of this many (the server's default), most recently updated first. */
const PAGE = 100;

/** What each role lets the person do, for the badge's tooltip. */
const ROLES = {
  owner: 'You own it: you edit it, share it and may delete it',
  editor: 'You may edit it',
  viewer: 'You may read it',
};

const page = await signedInPage();
if (page) {
  const { auth, user } = page;
  // Creating documents is for the group `writer` (the server says 403 to anyone else anyway).
  form.hidden = !user.groups.includes('writer');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const title = String(new FormData(form).get('title') ?? '').trim();
    if (!title) return;
    try {
      const response = await auth.fetch('/api/documents', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ title }),
      });
      if (!response.ok) throw new Error(await reason(response));
      const { id } = await response.json();
      location.assign(`${appRoot()}/documents/${id}`);
    } catch (e) {
      showProblem(`The document was not created: ${/** @type {Error} */ (e).message}.`);
    }
  });
  more.addEventListener('click', () => showDocuments(auth, list.querySelectorAll('li[data-id]').length));
  showDocuments(auth, 0);
  registerServiceWorker(appRoot());
}

/** @param {import('./auth.js').Auth} auth @param {number} offset how many are shown already */
async function showDocuments(auth, offset) {
  let documents;
  more.disabled = true;
  try {
    const response = await auth.fetch(`/api/documents?offset=${offset}&limit=${PAGE}`);
    if (!response.ok) throw new Error(await reason(response));
    documents = await response.json();
  } catch (e) {
    showProblem(`The documents cannot be listed: ${/** @type {Error} */ (e).message}.`);
    return;
  } finally {
    more.disabled = false;
  }
  more.hidden = documents.length < PAGE;
  const root = appRoot();
  list.append(
    ...documents.map((/** @type {{id: string, title: string, updatedAt: string, role?: string}} */ doc) => {
      const item = document.createElement('li');
      item.dataset.id = doc.id;
      const link = document.createElement('a');
      link.href = `${root}/documents/${doc.id}`;
      link.textContent = doc.title;
      const role = document.createElement('span');
      role.className = 'role';
      role.dataset.role = doc.role ?? '';
      role.textContent = doc.role ?? '';
      role.title = ROLES[/** @type {keyof typeof ROLES} */ (doc.role)] ?? '';
      const updated = document.createElement('time');
      updated.dateTime = doc.updatedAt;
      updated.textContent = new Date(doc.updatedAt).toLocaleString();
      item.append(link, ' ', role, ' ', updated);
      return item;
    }),
  );
  if (offset === 0 && documents.length === 0) {
    const empty = document.createElement('li');
    empty.className = 'empty';
    empty.textContent = 'No documents yet: none of yours, and nobody shared one with you.';
    list.append(empty);
  }
  list.dataset.loaded = 'true';
}

/** @param {string} message */
function showProblem(message) {
  problem.textContent = message;
  problem.hidden = false;
}
