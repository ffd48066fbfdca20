// Signing in and out: the sign-in page and where it leads, and signing out (with its warning
// when edits still wait in the browser, and the person's copies deleted from it afterwards).

import assert from 'node:assert/strict';
import { baseUrl, createDocument, readDocument } from './api.mjs';
import { scenario, screenshot, signInOnPage } from './browser.mjs';
import { converged, Editor } from './editor.mjs';

scenario('a document opened signed out goes to the sign-in page, and back to the document after it', async (stage) => {
  const id = await createDocument('signed out at first');
  const ada = await stage.person('Ada', { user: 'editor', signedIn: false });
  const page = await ada.newPage();
  await page.goto(`/documents/${id}`);
  await page.waitForURL(`${baseUrl}/signin.html?next=${encodeURIComponent(`/documents/${id}`)}`);
  assert.equal(
    await page.locator('#demo-users').isVisible(),
    true,
    'the development issuer is on: the demo users are listed',
  );

  await page.locator('#signin input[name="username"]').fill('editor');
  await page.locator('#signin input[name="password"]').fill('not the password');
  await page.locator('#signin [type="submit"]').click();
  const problem = page.locator('#problem[data-code="bad-credentials"]');
  await problem.waitFor({ state: 'visible' });
  assert.notEqual((await problem.innerText()).trim(), '');
  await screenshot(page, 'signin-refused.png');

  await signInOnPage(page, 'editor');
  assert.equal(new URL(page.url()).pathname, `/documents/${id}`);
  const editor = Editor.of(ada, page, id);
  await editor.online();
  assert.equal((await page.locator('#user').innerText()).trim(), 'editor');
  await editor.type('Signed in.');
  assert.equal(await converged(id, [editor]), 'Signed in.');
});

scenario('after signing in, next never leads off the site', async (stage) => {
  const ada = await stage.person('Ada', { user: 'editor', signedIn: false });
  const page = await ada.newPage();
  for (const next of ['//evil.example/steal', '/\\evil.example/steal', 'https://evil.example/']) {
    await page.goto(`/signin.html?next=${encodeURIComponent(next)}`);
    await signInOnPage(page, 'editor');
    assert.equal(page.url(), `${baseUrl}/`, `next=${next} went to ${page.url()}`);
    await page.locator('#documents[data-loaded="true"]').waitFor({ state: 'attached' });
  }
});

scenario('signing out ends the sign-in: the pages send the person to sign in again', async (stage) => {
  const ada = await stage.person('Ada', { user: 'editor' });
  const page = await ada.newPage();
  await page.goto('/');
  await page.locator('#user:not(:empty)').waitFor();
  await page.locator('#sign-out').click();
  await page.waitForURL(/\/signin\.html/);
  await page.goto('/');
  await page.waitForURL(/\/signin\.html\?next=%2F/);
  const stored = await page.evaluate(() => localStorage.getItem('folio.user'));
  assert.equal(stored, null, 'the signed-in user is gone from localStorage');
});

scenario("signing out with edits waiting warns first, and then deletes the person's copies", async (stage) => {
  const id = await createDocument('waiting at sign-out');
  const carol = await stage.person('Carol', { user: 'editor' });
  const first = await Editor.open(carol, id);
  await first.online();
  await first.type('Sent.');
  await converged(id, [first]);

  // An edit typed offline in a tab closed offline: it waits in IndexedDB.
  await carol.setOffline(true);
  await first.waitForStatus('offline');
  await first.caretEnd();
  await first.type(' Never sent.');
  await first.waitForPendingAtLeast(1);
  await first.page.evaluate(async () => {
    await /** @type {any} */ (window).folio.stored();
    await /** @type {any} */ (window).folio.saved();
  });
  await first.page.close();
  await carol.setOffline(false);

  const list = await carol.newPage();
  await list.goto('/');
  await list.locator('#user:not(:empty)').waitFor();
  /** @type {string[]} */
  const warnings = [];
  list.once('dialog', (dialog) => {
    warnings.push(dialog.message());
    dialog.dismiss();
  });
  await list.locator('#sign-out').click();
  await list.waitForFunction(() => !(/** @type {HTMLButtonElement} */ (document.querySelector('#sign-out')).disabled));
  assert.equal(warnings.length, 1, 'warned');
  assert.match(warnings[0], /edit/);
  assert.equal(new URL(list.url()).pathname, '/', 'cancelled: still here, still signed in');
  assert.equal(await countRecords(list), 1, 'and the record is still there');

  list.once('dialog', (dialog) => dialog.accept());
  await list.locator('#sign-out').click();
  await list.waitForURL(/\/signin\.html/);
  assert.equal(await countRecords(list), 0, "Carol's copies and waiting edits are gone from the browser");

  // Signed in again, the document shows the server's text: the deleted edit never went out.
  await signInOnPage(list, 'editor');
  const again = await Editor.open(carol, id);
  await again.online();
  assert.equal(await converged(id, [again]), 'Sent.');
  assert.equal((await readDocument(id)).text, 'Sent.');
});

/**
 * How many records (document, site) the page's IndexedDB holds.
 * @param {import('playwright-core').Page} page
 */
async function countRecords(page) {
  return page.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const opening = indexedDB.open('folio', 1);
        opening.onupgradeneeded = () => {
          // no database yet: nothing kept
          opening.transaction?.abort();
          resolve(0);
        };
        opening.onerror = () => resolve(0);
        opening.onsuccess = () => {
          const db = opening.result;
          const count = db.transaction('clients').objectStore('clients').count();
          count.onsuccess = () => {
            resolve(count.result);
            db.close();
          };
          count.onerror = () => reject(count.error);
        };
      }),
  );
}
