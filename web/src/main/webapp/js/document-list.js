// The start page: the documents there are, and a form that creates one and opens it.

const list = /** @type {HTMLUListElement} */ (document.getElementById('documents'));
const form = /** @type {HTMLFormElement} */ (document.getElementById('create'));
const problem = /** @type {HTMLElement} */ (document.getElementById('problem'));
const root = location.pathname.replace(/\/(index\.html)?$/, '');

/** @param {string} message */
function showProblem(message) {
  problem.textContent = message;
  problem.hidden = false;
}

async function showDocuments() {
  let documents;
  try {
    const response = await fetch(`${root}/api/documents`, { headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    documents = await response.json();
  } catch (e) {
    showProblem(`The documents cannot be listed: ${/** @type {Error} */ (e).message}.`);
    return;
  }
  documents.sort((/** @type {any} */ a, /** @type {any} */ b) =>
    String(b.updatedAt).localeCompare(String(a.updatedAt)),
  );
  list.replaceChildren(
    ...documents.map((/** @type {{id: string, title: string, updatedAt: string}} */ doc) => {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.href = `${root}/documents/${doc.id}`;
      link.textContent = doc.title;
      const updated = document.createElement('time');
      updated.dateTime = doc.updatedAt;
      updated.textContent = new Date(doc.updatedAt).toLocaleString();
      item.append(link, ' ', updated);
      return item;
    }),
  );
  list.dataset.loaded = 'true';
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const title = String(new FormData(form).get('title') ?? '').trim();
  if (!title) return;
  try {
    const response = await fetch(`${root}/api/documents`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ title }),
    });
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    const { id } = await response.json();
    location.assign(`${root}/documents/${id}`);
  } catch (e) {
    showProblem(`The document was not created: ${/** @type {Error} */ (e).message}.`);
  }
});

showDocuments();
navigator.serviceWorker?.register(`${root}/service-worker.js`).catch(() => {
  // not a secure context: the pages then need the network to open
});
