// The editor page, /documents/{id}: puts a DocumentSession, the textarea binding and the carets
// together, and tells the person what is going on: connection, edits waiting, people present,
// and why editing stopped if it did.

import { CaretLayer, colourOf } from './caret-layer.js';
import { DocumentSession } from './document-session.js';
import { IndexedDbEditStore, MemoryEditStore } from './edit-store.js';
import { TextareaBinding } from './textarea-binding.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** @param {string} id @returns {HTMLElement} */
const element = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

const textarea = /** @type {HTMLTextAreaElement} */ (element('text'));
const status = element('status');
const pending = element('pending');
const people = element('people');
const notice = element('notice');
const nameField = /** @type {HTMLInputElement} */ (element('name'));

// The application's root: the page is <root>/documents/<id>, whatever context root it runs under.
const [root, documentId] = (() => {
  const path = location.pathname;
  const at = path.lastIndexOf('/documents/');
  return [path.slice(0, at), decodeURIComponent(path.slice(at + '/documents/'.length).replace(/\/$/, ''))];
})();

const name = personName();
nameField.value = name;

if (!UUID.test(documentId)) {
  showNotice('unknown', 'There is no such document: the address does not name one.');
  textarea.readOnly = true;
  setStatus('closed', 0, null);
} else {
  start();
}

function start() {
  const store = IndexedDbEditStore.available() ? new IndexedDbEditStore() : new MemoryEditStore();
  const session = new DocumentSession({
    documentId,
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${root}/ws/documents/${documentId}`,
    store,
  });
  const binding = new TextareaBinding(textarea, session);
  const carets = new CaretLayer(textarea, element('carets'));
  // The server takes names of 1 to 64 characters.
  const presence = () =>
    session.setPresence([...(nameField.value.trim() || name)].slice(0, 64).join(''), binding.caret());

  session.addEventListener('status', (event) => {
    const { state, pending: count, retryIn } = /** @type {CustomEvent} */ (event).detail;
    setStatus(state, count, retryIn);
    textarea.readOnly = !session.editable;
  });
  session.addEventListener('notice', (event) => {
    const { reason, message } = /** @type {CustomEvent} */ (event).detail;
    showNotice(reason, message);
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
  nameField.addEventListener('change', () => {
    localStorage.setItem('folio.name', nameField.value.trim() || name);
    presence();
  });

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
    },
  });

  showTitle();
  session.start().then(presence);
  navigator.serviceWorker?.register(`${root}/service-worker.js`).catch((e) => {
    console.info('this page will not open offline:', e.message);
  });
}

/** The document's title: from the server, or as last seen in this browser when offline. */
async function showTitle() {
  const key = `folio.title.${documentId}`;
  let title = localStorage.getItem(key);
  try {
    const response = await fetch(`${root}/api/documents/${documentId}`, { headers: { Accept: 'application/json' } });
    if (response.ok) {
      ({ title } = await response.json());
      localStorage.setItem(key, /** @type {string} */ (title));
    }
  } catch {
    // offline: the title kept from last time, if any
  }
  if (title) {
    element('title').textContent = title;
    document.title = `${title} · Folio`;
  }
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
      closed: 'Closed',
    }[state] ?? state;
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

/** The name others see: ?name=… (kept), the kept one, or a made-up one. */
function personName() {
  const given = new URLSearchParams(location.search).get('name')?.trim();
  if (given) localStorage.setItem('folio.name', given);
  const kept = given || localStorage.getItem('folio.name');
  if (kept) return kept;
  const guest = `Guest ${Math.floor(1000 + Math.random() * 9000)}`;
  localStorage.setItem('folio.name', guest);
  return guest;
}
