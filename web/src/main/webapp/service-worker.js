// Lets the editor open without a network: a document edited in this browser before can be opened
// again offline, shows the copy kept in IndexedDB, and takes edits that are sent later.
//
// Network first for everything it handles, so an online page always gets the server's current
// files; the cache is only the fallback. The REST API and the WebSocket are never touched: their
// answers carry tokens and other people's documents, and must never outlive the request (nor
// stand in for the server: a cached /api/auth/refresh would sign in whoever opens the page).

const CACHE = 'folio-shell-5';

/** What the editor and the list need, relative to this file: cached when the worker installs. */
const SHELL = [
  'admin.html',
  'editor.html',
  'index.html',
  'signin.html',
  'css/folio.css',
  'js/account.js',
  'js/admin-api.js',
  'js/admin-charts.js',
  'js/admin-console.js',
  'js/admin-documents.js',
  'js/admin-dom.js',
  'js/admin-format.js',
  'js/admin-live.js',
  'js/admin-panels.js',
  'js/auth.js',
  'js/caret-layer.js',
  'js/connection.js',
  'js/document-list.js',
  'js/document-session.js',
  'js/edit-store.js',
  'js/element-list.js',
  'js/editor-page.js',
  'js/lseq-codec.js',
  'js/lseq.js',
  'js/outbox.js',
  'js/presence.js',
  'js/protocol-frames.js',
  'js/share-panel.js',
  'js/signin.js',
  'js/text-diff.js',
  'js/textarea-binding.js',
  'vendor/uplot/uPlot.esm.js',
  'vendor/uplot/uPlot.min.css',
];

const scope = new URL(self.registration.scope);

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL.map((path) => new URL(path, scope)))));
  self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const path = url.pathname.slice(scope.pathname.length);
  if (path.startsWith('api/') || path.startsWith('ws/')) return;
  // Every /documents/{id} is the same page: one cached copy serves them all; and a page is the
  // same whatever its query says (/signin.html?next=...).
  const key = path.startsWith('documents/')
    ? new URL('editor.html', scope)
    : path === ''
      ? new URL('index.html', scope)
      : new URL(path, scope);
  event.respondWith(networkFirst(event.request, key));
});

/** @param {Request} request @param {URL} key */
async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  let response;
  try {
    response = await fetch(request);
  } catch (e) {
    const cached = await cache.match(key);
    if (cached) return cached;
    throw e;
  }
  if (response.ok) {
    await cache.put(key, response.clone());
    return response;
  }
  // A server that is restarting, or a proxy without it (5xx): the kept copy works offline.
  return (response.status >= 500 && (await cache.match(key))) || response;
}
