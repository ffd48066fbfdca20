// The editor page, /documents/{id}: puts a DocumentSession, the textarea binding and the carets
// together, and tells the person what is going on: connection, edits waiting, people present,
// whether they may only view, and why editing stopped if it did. The signed-in person (account.js)
// is who the others see, and whose saved edits this page claims; the owner shares the document
// from the side panel (share-panel.js).

import { DOCUMENT_KEY_PREFIX, registerServiceWorker, signedInPage } from './account.js';
import { CaretLayer, colourOf } from './caret-layer.js';
import { DocumentSession } from './document-session.js';
import { IndexedDbEditStore, MemoryEditStore } from './edit-store.js';
import { SharePanel } from './share-panel.js';
import { TextareaBinding } from './textarea-binding.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What the page tells the person when the session has news (its `notice` events). The session
 * names the reason; the words are the page's.
 * @type {Record<import('./document-session.js').NoticeReason, string>}
 */
const NOTICES = {
  unknown: 'There is no such document. It may never have existed, or it was deleted.',
  deleted: 'This document was deleted. Nothing more can be saved to it.',
  refused: 'You do not have access to this document.',
  'rejected-edit': 'The server refused one of your edits; your copy was reloaded from the server.',
  'lost-edits': 'The server no longer knows this browser; edits that were not saved yet are lost.',
  'signed-out': 'You were signed out. Your edits are kept in this browser and are sent once you sign in again.',
  'too-many-sessions': 'You have too many documents open on this server; close some tabs. Trying again…',
  'view-only': 'You can only view this document now: the edits this browser kept for it were not saved.',
};

/** Why the server refused an edit (a `rejected-edit` notice's code), where it says more than that it did. */
const REFUSED_EDITS = new Map([
  [
    'read-only',
    'You can only view this document: your edit was not saved, and your copy was reloaded from the server.',
  ],
  [
    'too-many-operations',
    'That edit changed too much at once for the server and was not saved; your copy was reloaded from the server.',
  ],
  ['not-stored', 'The server could not store that edit and did not save it; your copy was reloaded from the server.'],
  [
    'delta-too-large',
    'That edit is too large for the server to store and was not saved; your copy was reloaded from the server.',
  ],
  [
    'document-too-large',
    'The document has reached the size limit of this server: your edit was not saved, and your copy was reloaded from the server.',
  ],
]);

/** @param {string} id @returns {HTMLElement} */
const element = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

const textarea = /** @type {HTMLTextAreaElement} */ (element('text'));
const status = element('status');
const pending = element('pending');
const people = element('people');
const notice = element('notice');
const viewOnly = element('view-only');

// The application's root: the page is <root>/documents/<id>, whatever context root it runs under.
const [root, documentId] = (() => {
  const path = location.pathname;
  const at = path.lastIndexOf('/documents/');
  return [path.slice(0, at), decodeURIComponent(path.slice(at + '/documents/'.length).replace(/\/$/, ''))];
})();

/** What this browser remembers of the document for opening it offline: its title and the person's role. */
const keptKey = `${DOCUMENT_KEY_PREFIX}${documentId}`;

/** @type {DocumentSession | null} */
let session = null;
/** @type {SharePanel | null} */
let sharePanel = null;
const page = await signedInPage({
  root,
  // Signed out, or someone else signed in: what waits is in the browser's storage before the page goes.
  beforeLeaving: async () => {
    if (!session) return;
    await session.stored();
    await session.saveNow();
    session.stop();
  },
  // Signed out here or in another tab: nothing more is written, the person's data is deleted next.
  beforeSignOut: () => session?.stop(),
});

if (!page) {
  // on the way to the sign-in page
} else if (!UUID.test(documentId)) {
  showNotice('unknown', 'There is no such document: the address does not name one.');
  textarea.readOnly = true;
  setStatus('closed', 0, null);
} else {
  session = start(page.auth, page.user);
}

/** @param {import('./auth.js').Auth} auth @param {import('./auth.js').User} user */
function start(auth, user) {
  const kept = readKept();
  const store = IndexedDbEditStore.available() ? new IndexedDbEditStore() : new MemoryEditStore();
  const session = new DocumentSession({
    documentId,
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${root}/ws/documents/${documentId}`,
    store,
    userId: user.id,
    role: kept.role ?? null, // offline, a viewer must not find the text editable
    getToken: (replacing) => auth.token({ replacing }),
  });
  // The page refreshes its token before it expires: the socket gets it at once.
  auth.addEventListener('token', (event) => session.authenticate(/** @type {CustomEvent} */ (event).detail.token));
  const binding = new TextareaBinding(textarea, session);
  const carets = new CaretLayer(textarea, element('carets'));
  // The others see the signed-in name; the server takes 1 to 64 characters.
  const name = [...user.name].slice(0, 64).join('') || 'Someone';
  const presence = () => session.setPresence(name, binding.caret());

  session.addEventListener('status', (event) => {
    const { state, pending: count, retryIn } = /** @type {CustomEvent} */ (event).detail;
    setStatus(state, count, retryIn);
    textarea.readOnly = !session.editable;
    viewOnly.hidden = session.role !== 'viewer';
    if (session.role && session.role !== kept.role) {
      kept.role = session.role;
      keep({ role: session.role });
    }
    if (state === 'online' && notice.dataset.reason === 'too-many-sessions') notice.hidden = true;
  });
  session.addEventListener('notice', (event) => {
    const { reason, code } = /** @type {CustomEvent} */ (event).detail;
    showNotice(reason, noticeText(reason, code));
  });
  session.addEventListener('presence', (event) => {
    const { people: others } = /** @type {CustomEvent} */ (event).detail;
    showPeople(others);
    carets.show(others);
  });
  for (const type of ['change', 'reset']) {
    session.addEventListener(type, () => carets.show(session.people()));
  }
  textarea.addEventListener('input', () => carets.show(session.people()));
  document.addEventListener('selectionchange', () => {
    if (document.activeElement === textarea) presence();
  });
  textarea.addEventListener('focus', presence);

  addEventListener('offline', () => session.networkLost());
  addEventListener('online', () => session.networkBack());
  addEventListener('pagehide', () => session.saveNow());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') session.saveNow();
  });

  // For the browser tests, and for the curious in the console.
  Object.assign(window, {
    folio: {
      text: () => session.text,
      version: () => session.version,
      pending: () => session.pending,
      site: () => session.site,
      quiet: () => session.quiet(),
      stored: () => session.stored(),
      saved: () => session.saved(),
      role: () => session.role,
      tokenExpiresAt: () => session.tokenExpiresAt,
    },
  });

  showDocument(auth, kept);
  session.start().then(presence);
  registerServiceWorker(root);
  return session;
}

/**
 * The document's title and the person's role in it: from the server, or as last seen in this
 * browser when offline. The owner gets the sharing controls, the others the list of members.
 * @param {import('./auth.js').Auth} auth @param {{title?: string, role?: string}} kept
 */
async function showDocument(auth, kept) {
  let { title, role } = kept;
  try {
    const response = await auth.fetch(`/api/documents/${documentId}`);
    if (response.ok) {
      ({ title, role } = await response.json());
      keep({ title, role });
    }
  } catch {
    // Offline (or signed out: the page is leaving): what was kept from last time, if anything;
    // the rest once the network is back.
    addEventListener('online', () => showDocument(auth, readKept()), { once: true });
    role = undefined;
  }
  if (title) {
    element('title').textContent = title;
    document.title = `${title} · Folio`;
  }
  if (role) (sharePanel ??= new SharePanel(auth, documentId, element('share'))).show(role);
}

/** @returns {{title?: string, role?: 'owner' | 'editor' | 'viewer'}} */
function readKept() {
  try {
    return JSON.parse(localStorage.getItem(keptKey) ?? '{}') ?? {};
  } catch {
    return {};
  }
}

/** @param {{title?: string, role?: string}} change */
function keep(change) {
  localStorage.setItem(keptKey, JSON.stringify({ ...readKept(), ...change }));
}

/**
 * @param {string} state @param {number} count edits waiting
 * @param {number | null} retryIn milliseconds until the next attempt to connect
 */
function setStatus(state, count, retryIn) {
  status.dataset.state = state;
  pending.dataset.count = String(count);
  const edits = count === 1 ? '1 edit' : `${count} edits`;
  pending.textContent = count === 0 ? 'All changes saved' : `${edits} not saved yet`;
  status.textContent =
    {
      online: 'Online',
      connecting: 'Connecting…',
      offline:
        navigator.onLine === false
          ? 'Offline: your edits are kept in this browser'
          : `Cannot reach the server${retryIn === null ? '' : `; trying again in ${Math.ceil(retryIn / 1000)} s`}`,
      'signed-out': 'Signed out: your edits are kept in this browser',
      closed: 'Closed',
    }[state] ?? state;
}

/**
 * @param {import('./document-session.js').NoticeReason} reason
 * @param {string} [code] the server's error code, for a refused edit
 */
function noticeText(reason, code) {
  return (reason === 'rejected-edit' && code && REFUSED_EDITS.get(code)) || NOTICES[reason];
}

/** @param {string} reason @param {string} message */
function showNotice(reason, message) {
  notice.dataset.reason = reason;
  notice.textContent = message;
  notice.hidden = false;
  if (['deleted', 'unknown', 'refused'].includes(reason)) textarea.readOnly = true;
}

/** @param {Map<number, {name: string}>} others */
function showPeople(others) {
  people.replaceChildren(
    ...[...others].map(([site, person]) => {
      const item = document.createElement('li');
      item.dataset.site = String(site);
      item.style.setProperty('--colour', colourOf(site));
      item.textContent = person.name;
      return item;
    }),
  );
}
