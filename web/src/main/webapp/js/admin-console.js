// The admin console, /admin.html (group `admin`): every document with its owner and members, to
// delete; the users, to sign out everywhere (a stolen laptop: every token they hold stops
// working); this node's sessions; and the limits the server runs with. Anyone else gets 403 from
// the API, and the page says the console needs the admin role.
//
// DOM: #admin-documents tbody tr[data-id] (button.delete), #admin-users tbody tr[data-user-id]
// (button.sign-out-everywhere, .done), #admin-limits tbody tr[data-limit], #admin-sessions;
// #problem[data-code] (forbidden, error).

import { appRoot, reason, signedInPage } from './account.js';

/** @param {string} id */
const element = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const problem = element('problem');
const main = element('console');
const more = /** @type {HTMLButtonElement} */ (element('more-documents'));
const root = appRoot();

/** Documents come in pages of this many (the server's default), most recently updated first. */
const PAGE = 100;

/** A refusal of the admin API, with its HTTP status. */
class ApiError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const page = await signedInPage({ root });
if (page) {
  const { auth } = page;
  /** @param {string} path */
  const get = async (path) => {
    const response = await auth.fetch(path);
    if (!response.ok) throw new ApiError(response.status, await reason(response));
    return response.json();
  };
  /** @param {string} method @param {string} path */
  const call = async (method, path) => {
    const response = await auth.fetch(path, { method });
    if (!response.ok) throw new ApiError(response.status, await reason(response));
  };

  const remove = (/** @type {string} */ id) =>
    call('DELETE', `/api/admin/documents/${encodeURIComponent(id)}`).then(load);
  let shown = 0;
  more.addEventListener('click', async () => {
    more.disabled = true;
    try {
      const page = await get(`/api/admin/documents?offset=${shown}&limit=${PAGE}`);
      showDocuments(page, remove, true);
      shown += page.length;
      more.hidden = page.length < PAGE;
    } catch (e) {
      say('error', `No more documents could be shown: ${/** @type {Error} */ (e).message}.`);
    }
    more.disabled = false;
  });

  const load = async () => {
    try {
      const [documents, users, limits, sessions] = await Promise.all([
        get(`/api/admin/documents?offset=0&limit=${PAGE}`),
        get('/api/users'),
        get('/api/admin/limits'),
        get('/api/admin/sessions'),
      ]);
      showDocuments(documents, remove, false);
      shown = documents.length;
      more.hidden = documents.length < PAGE;
      showUsers(users, (id) => call('POST', `/api/admin/users/${encodeURIComponent(id)}/sign-out`));
      showPairs(element('admin-limits'), limits, 'limit');
      showPairs(element('admin-sessions'), sessions, 'key');
      problem.hidden = true;
      main.hidden = false;
    } catch (e) {
      if (e instanceof ApiError && e.status === 403) {
        main.hidden = true;
        say('forbidden', 'This console needs the admin role. Ask an administrator if you need it.');
      } else {
        say('error', `The console cannot be shown: ${/** @type {Error} */ (e).message}.`);
      }
    }
  };
  element('reload').addEventListener('click', load);
  await load();
}

/**
 * @param {Array<{id: string, title: string, ownerName?: string, ownerId?: string, members?: number | unknown[], version: number, updatedAt: string}>} documents
 * @param {(id: string) => Promise<void>} remove
 * @param {boolean} append a further page, below the ones shown
 */
function showDocuments(documents, remove, append) {
  const rows = body('admin-documents');
  if (!append) rows.replaceChildren();
  rows.append(
    ...documents.map((doc) => {
      const link = document.createElement('a');
      link.href = `${root}/documents/${doc.id}`;
      link.textContent = doc.title;
      const updated = document.createElement('time');
      updated.dateTime = doc.updatedAt;
      updated.textContent = new Date(doc.updatedAt).toLocaleString();
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'delete';
      button.textContent = 'Delete';
      button.addEventListener('click', async () => {
        if (!confirm(`Delete “${doc.title}” for everyone? This cannot be undone.`)) return;
        button.disabled = true;
        await remove(doc.id).catch((e) => {
          button.disabled = false;
          say('error', `“${doc.title}” was not deleted: ${e.message}.`);
        });
      });
      const row = tableRow([
        link,
        doc.ownerName ?? doc.ownerId ?? '',
        membersText(doc.members),
        String(doc.version),
        updated,
        button,
      ]);
      row.dataset.id = doc.id;
      return row;
    }),
  );
}

/**
 * The members: the server gives how many there are (the owner included); a list is shown as
 * "name (role)", whatever shape it gives each.
 * @param {number | unknown[] | undefined} members
 */
function membersText(members) {
  if (typeof members === 'number') return members === 1 ? '1 (the owner)' : String(members);
  return (members ?? [])
    .map((member) => {
      if (typeof member !== 'object' || member === null) return String(member);
      const { name, userId, role } = /** @type {{name?: unknown, userId?: unknown, role?: unknown}} */ (member);
      return role ? `${name ?? userId} (${role})` : String(name ?? userId);
    })
    .join(', ');
}

/** @param {Array<{id: string, name: string}>} users @param {(id: string) => Promise<void>} signOut */
function showUsers(users, signOut) {
  users.sort((a, b) => a.name.localeCompare(b.name));
  body('admin-users').replaceChildren(
    ...users.map((user) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'sign-out-everywhere';
      button.textContent = 'Sign out everywhere';
      const done = document.createElement('span');
      done.className = 'done';
      button.addEventListener('click', async () => {
        if (!confirm(`Sign ${user.name} out on every device? Their open pages stop saving until they sign in again.`))
          return;
        button.disabled = true;
        try {
          await signOut(user.id);
          done.textContent = ' Signed out';
        } catch (e) {
          done.textContent = ` Not signed out: ${/** @type {Error} */ (e).message}`;
        }
        button.disabled = false;
      });
      const id = document.createElement('code');
      id.textContent = user.id;
      const actions = document.createElement('span');
      actions.append(button, done);
      const row = tableRow([user.name, id, actions]);
      row.dataset.userId = user.id;
      return row;
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
    ...Object.entries(values).map(([name, value]) => {
      const row = tableRow([name, display(value)]);
      row.dataset[data] = name;
      return row;
    }),
  );
}

/** @param {unknown} value */
function display(value) {
  if (typeof value === 'number') return value.toLocaleString();
  if (Array.isArray(value))
    return value.map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item))).join(', ');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** @param {Array<string | Node>} cells */
function tableRow(cells) {
  const row = document.createElement('tr');
  for (const cell of cells) {
    const td = document.createElement('td');
    td.append(cell);
    row.append(td);
  }
  return row;
}

/** @param {string} id */
function body(id) {
  return /** @type {HTMLElement} */ (element(id).querySelector('tbody'));
}

/** @param {string} code @param {string} message */
function say(code, message) {
  problem.dataset.code = code;
  problem.textContent = message;
  problem.hidden = false;
}
