// The signed-in person on every page that needs one (the list, the editor, the admin console):
// signs the page in from the refresh cookie, or sends the person to the sign-in page; shows who
// is signed in with a way to sign out; and follows what other tabs of this browser do (a sign-out
// there, or a sign-in as someone else, ends this page's sign-in too).
//
// Header elements it fills, when the page has them: #user (the name), #admin-link (shown for the
// group `admin`), #sign-out (a button).

import { Auth, USER_KEY } from './auth.js';
import { IndexedDbEditStore, MemoryEditStore } from './edit-store.js';

/** @typedef {import('./auth.js').User} User */

/** Keys of localStorage that describe documents (titles, roles): they go when the person signs out. */
export const DOCUMENT_KEY_PREFIX = 'folio.document.';

/** What pages from before sign-in kept (titles, a typed-in name): they go too. */
const OLD_KEY_PREFIXES = ['folio.title.', 'folio.name'];

/**
 * The application's root, whatever context root it runs under: pages are <root>/index.html,
 * <root>/signin.html, <root>/admin.html and <root>/documents/{id}.
 */
export function appRoot(path = location.pathname) {
  const at = path.lastIndexOf('/documents/');
  return at >= 0 ? path.slice(0, at) : path.slice(0, path.lastIndexOf('/'));
}

/** The sign-in page, coming back here afterwards. @param {string} root */
export function signInUrl(root, next = location.pathname + location.search) {
  return `${root}/signin.html?next=${encodeURIComponent(next)}`;
}

/**
 * Signs the page in. Resolves with the Auth and the user, or with null when the page is on its
 * way to the sign-in page (signed out, or offline without anyone ever signed in here).
 * @param {object} [options]
 * @param {string} [options.root]
 * @param {() => Promise<void> | void} [options.beforeLeaving] before the page goes to sign in
 *   (signed out here or in another tab): the editor keeps what waits
 * @param {() => Promise<void> | void} [options.beforeSignOut] after the server signed the person
 *   out and before their data is deleted: the editor stops its session
 * @returns {Promise<{auth: Auth, user: User} | null>}
 */
export async function signedInPage({ root = appRoot(), beforeLeaving, beforeSignOut } = {}) {
  const auth = new Auth({ root });
  const user = await auth.start();
  if (!user) {
    location.replace(signInUrl(root));
    return null;
  }
  let leaving = false;
  /**
   * The page stops being this person's.
   * @param {'sign-in' | 'reload' | 'signed-out-elsewhere'} how sign in again; reload as the other
   *   user now signed in; or the person signed out in another tab, which deletes their data
   */
  const leave = async (how) => {
    if (leaving) return;
    leaving = true;
    auth.stop();
    try {
      if (how === 'signed-out-elsewhere') {
        await beforeSignOut?.(); // nothing more is saved, so nothing comes back after the delete
        await forgetPerson(user.id);
      } else {
        await beforeLeaving?.();
      }
    } finally {
      if (how === 'reload') location.reload();
      else location.assign(signInUrl(root));
    }
  };

  // Signed out by the server (revoked, expired), or the cookie is now another user's.
  auth.addEventListener('signed-out', (event) => {
    leave(/** @type {CustomEvent} */ (event).detail.userChanged ? 'reload' : 'sign-in');
  });
  // Another tab signed out (the kept user is gone: only signing out removes it) or signed in as
  // someone else.
  addEventListener('storage', (event) => {
    if (event.key !== USER_KEY && event.key !== null) return;
    const now = auth.user;
    if (now?.id === user.id) return;
    leave(now ? 'reload' : 'signed-out-elsewhere');
  });

  showUser(root, user);
  const button = /** @type {HTMLButtonElement | null} */ (document.getElementById('sign-out'));
  button?.addEventListener('click', async () => {
    button.disabled = true;
    try {
      if (await signOut(auth, user, beforeSignOut)) {
        leaving = true;
        location.assign(`${root}/signin.html`);
        return;
      }
    } catch (e) {
      alert(
        `You are still signed in: ${/** @type {Error} */ (e).message}. Signing out needs the server; try again once you are online.`,
      );
    }
    button.disabled = false;
  });
  return { auth, user };
}

/** @param {string} root @param {User} user */
function showUser(root, user) {
  const name = document.getElementById('user');
  if (name) {
    name.textContent = user.name;
    name.title = `Signed in as ${user.name}`;
  }
  const admin = /** @type {HTMLAnchorElement | null} */ (document.getElementById('admin-link'));
  if (admin) {
    admin.href = `${root}/admin.html`;
    admin.hidden = !user.groups.includes('admin');
  }
}

/**
 * Signs out: first a warning if edits of this person still wait in this browser, then the
 * server (which must hear of it, or the cookie stays good), then this person's saved copies and
 * waiting edits leave the browser: on a shared computer the next person must not find them.
 * @param {Auth} auth @param {User} user @param {(() => Promise<void> | void) | undefined} beforeSignOut
 * @returns {Promise<boolean>} false: the person chose to stay signed in
 */
async function signOut(auth, user, beforeSignOut) {
  const waiting = await editStore()
    .pendingOf(user.id)
    .catch(() => 0);
  if (waiting > 0) {
    const edits = waiting === 1 ? '1 edit' : `${waiting} edits`;
    const sure = confirm(
      `${edits} you made ${waiting === 1 ? 'is' : 'are'} not on the server yet: ${waiting === 1 ? 'it waits' : 'they wait'} in this browser. ` +
        'Signing out deletes them. Sign out anyway?',
    );
    if (!sure) return false;
  }
  await auth.logout();
  await beforeSignOut?.();
  await forgetPerson(user.id);
  return true;
}

/** Deletes what this browser keeps of a person's documents. @param {string} userId */
async function forgetPerson(userId) {
  await editStore()
    .forgetUser(userId)
    .catch((e) => console.warn('could not delete the saved documents of this browser', e));
  for (let i = localStorage.length - 1; i >= 0; i--) {
    const key = localStorage.key(i);
    if (key && [DOCUMENT_KEY_PREFIX, ...OLD_KEY_PREFIXES].some((prefix) => key.startsWith(prefix))) {
      localStorage.removeItem(key);
    }
  }
}

/** The browser's edit store (in memory where there is no IndexedDB: nothing to delete then). */
function editStore() {
  return IndexedDbEditStore.available() ? new IndexedDbEditStore() : new MemoryEditStore();
}

/** The server's words for a refusal (its error bodies are {status, code, error}). @param {Response} response */
export async function reason(response) {
  const body = await response.json().catch(() => null);
  return body?.error ? `${body.error} (${response.status})` : `the server answered ${response.status}`;
}

/** The service worker that lets the editor open offline (secure contexts only). @param {string} root */
export function registerServiceWorker(root) {
  navigator.serviceWorker?.register(`${root}/service-worker.js`).catch((e) => {
    console.info('this page will not open offline:', e.message);
  });
}
