// Offline editing: what a person types without a network is kept (in IndexedDB) and sent when
// the network is back, even when the tab was closed meanwhile.

import assert from 'node:assert/strict';
import { createDocument, readDocument } from './api.mjs';
import { scenario } from './browser.mjs';
import { converged, Editor, eventually } from './editor.mjs';

scenario('a person who goes offline keeps typing and catches up', async (stage) => {
  const id = await createDocument('offline', { share: { editor2: 'editor' } });
  const ada = await Editor.open(await stage.person('Ada', { user: 'editor' }), id);
  const bob = await Editor.open(await stage.person('Bob', { user: 'editor2' }), id);
  await Promise.all([ada.online(), bob.online()]);
  await ada.type('Shared start.');
  await converged(id, [ada, bob]);

  await bob.person.setOffline(true);
  await bob.waitForStatus('offline');
  await bob.caretEnd();
  await bob.type(' Bob offline');
  await bob.waitForPendingAtLeast(1);
  const typed = await bob.pendingCount();
  await bob.type(' and more');
  await bob.waitForPendingAtLeast(typed + 1);

  // Meanwhile Ada, online, types too; the server has her text, not Bob's.
  await ada.caretHome();
  await ada.type('Ada online. ');
  assert.equal(await converged(id, [ada]), 'Ada online. Shared start.');
  assert.equal((await bob.state()).status, 'offline', 'Bob is still offline');

  await bob.person.setOffline(false);
  const text = await converged(id, [ada, bob]);
  assert.equal(text, 'Ada online. Shared start. Bob offline and more');
});

scenario('edits typed offline in a tab closed offline are sent when the document is opened again', async (stage) => {
  const id = await createDocument('closed offline', { share: { editor2: 'editor' } });
  const carol = await stage.person('Carol', { user: 'editor' });
  const first = await Editor.open(carol, id);
  await first.online();
  await first.type('Typed online.');
  await converged(id, [first]);

  await carol.setOffline(true);
  await first.waitForStatus('offline');
  await first.caretEnd();
  await first.type(' Typed offline.');
  await first.waitForPendingAtLeast(1);
  await first.page.evaluate(() => /** @type {any} */ (window).folio.stored()); // in IndexedDB, then closed
  await first.page.close();
  assert.equal((await readDocument(id)).text, 'Typed online.', 'the server has not seen the offline edits');

  // Same browser (same IndexedDB), network back, a new tab on the same document.
  await carol.setOffline(false);
  const again = await Editor.open(carol, id);
  await eventually(async () => {
    assert.equal((await readDocument(id)).text, 'Typed online. Typed offline.', 'the server has the offline edits');
  });

  const dan = await Editor.open(await stage.person('Dan', { user: 'editor2' }), id);
  assert.equal(await converged(id, [again, dan]), 'Typed online. Typed offline.');
});

scenario(
  'a document edited before opens again with no network at all, and its offline edits arrive later',
  async (stage) => {
    const id = await createDocument('opened offline');
    const erin = await stage.person('Erin', { user: 'editor' });
    const first = await Editor.open(erin, id);
    await first.online();
    await first.type('Written online.');
    await converged(id, [first]);
    // The page is installed for offline use (service worker) and its copy is in IndexedDB.
    await first.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      await /** @type {any} */ (window).folio.saved();
    });
    await first.page.close();

    await erin.setOffline(true);
    const offline = await Editor.open(erin, id);
    await offline.waitForStatus('offline');
    const reach = await offline.page.evaluate(() =>
      fetch('/api/documents').then(
        () => 'reached',
        () => 'unreachable',
      ),
    );
    assert.equal(reach, 'unreachable', 'the page really has no network');
    assert.equal((await offline.state()).text, 'Written online.', 'the copy kept in the browser shows');
    await offline.caretEnd();
    await offline.type(' Then offline.');
    await offline.waitForPendingAtLeast(1);
    assert.equal((await readDocument(id)).text, 'Written online.');

    await erin.setOffline(false);
    assert.equal(await converged(id, [offline]), 'Written online. Then offline.');
  },
);
