// Access tokens expiring under a person who edits (the test stack's live 30 s; the server warns
// 10 s before): the page renews its token on the open socket and loses nothing; offline past the
// token's expiry it catches up with a new one; signed out meanwhile, it sends the person to sign
// in and the offline edits arrive after.

import assert from 'node:assert/strict';
import { createDocument, readDocument, signOutEverywhere } from './api.mjs';
import { scenario, signInOnPage } from './browser.mjs';
import { converged, CONVERGE_MS, Editor, occurrences } from './editor.mjs';
import { Recorder } from './network.mjs';

/** A sentence to type, long enough for ~40 s at a key every 150 ms. */
const PROSE =
  'Tokens come and go while Ada types on; the socket stays open, every key arrives once, ' +
  'and the server ends with exactly what she typed, no more and no less. ' +
  'Forty seconds is longer than a token lives here, so this outlasts at least one of them.';

scenario(
  'typing for 40 s across token refreshes: nothing lost, nothing doubled, one socket',
  async (stage) => {
    const id = await createDocument('across refreshes', { share: { editor2: 'viewer' } });
    const recorder = new Recorder();
    const ada = await Editor.open(await stage.person('Ada', { user: 'editor' }), id, {
      beforeLoad: (page) => recorder.install(page),
    });
    const bob = await Editor.open(await stage.person('Bob', { user: 'editor2' }), id);
    await Promise.all([ada.online(), bob.viewing()]);

    const started = Date.now();
    await ada.textarea.pressSequentially(PROSE, { delay: 150, timeout: 90_000 });
    const typedFor = Date.now() - started;
    assert.ok(typedFor > 35_000, `typed for ${typedFor} ms`);
    const text = await converged(id, [ada, bob]);
    assert.equal(text, PROSE);
    assert.equal(occurrences(text, PROSE), 1);

    assert.ok(recorder.sent('auth').length >= 1, `the page sent ${recorder.sent('auth').length} new tokens`);
    assert.ok(recorder.received('authenticated').length >= 1, 'and the server took them');
    assert.equal(recorder.connections, 1, 'on the socket it opened first');
    assert.equal(recorder.received('error').length, 0, `no error: ${JSON.stringify(recorder.received('error'))}`);
  },
  { timeout: 120_000 },
);

scenario(
  "offline past the token's expiry: back online the edits arrive; signed out meanwhile, they arrive after signing in again",
  async (stage) => {
    const id = await createDocument('offline past expiry', { share: { editor2: 'editor' } });
    const ada = await stage.person('Ada', { user: 'editor' });
    const bob = await stage.person('Bob', { user: 'editor2' });
    const adaEditor = await Editor.open(ada, id);
    const bobEditor = await Editor.open(bob, id);
    await Promise.all([adaEditor.online(), bobEditor.online()]);
    await adaEditor.type('Online.');
    await converged(id, [adaEditor, bobEditor]);

    // Both go offline and type; their tokens expire meanwhile.
    await Promise.all([ada.setOffline(true), bob.setOffline(true)]);
    await Promise.all([adaEditor.waitForStatus('offline'), bobEditor.waitForStatus('offline')]);
    await adaEditor.caretEnd();
    await adaEditor.type(' Ada offline.');
    await bobEditor.caretHome();
    await bobEditor.type('Bob offline. ');
    await Promise.all([adaEditor.waitForPendingAtLeast(1), bobEditor.waitForPendingAtLeast(1)]);
    for (const editor of [adaEditor, bobEditor]) {
      await editor.page.waitForFunction(
        () => {
          const expiresAt = /** @type {any} */ (window).folio.tokenExpiresAt();
          return typeof expiresAt === 'number' && Date.now() > expiresAt + 1000;
        },
        undefined,
        { timeout: 45_000, polling: 500 },
      );
    }
    // Meanwhile an admin signs Ada out everywhere (a lost laptop, say): her refresh cookie is revoked.
    await signOutEverywhere('editor');

    // Bob comes back: a new token from his cookie, the edits go out, no sign-in.
    await bob.setOffline(false);
    await converged(id, [bobEditor]);
    assert.equal((await readDocument(id, { as: 'editor2' })).text, 'Bob offline. Online.');
    assert.equal(new URL(bobEditor.page.url()).pathname, `/documents/${id}`);

    // Ada comes back: signed out, her page keeps the edits and sends her to sign in.
    await ada.setOffline(false);
    await adaEditor.page.waitForURL(/\/signin\.html\?next=/, { timeout: CONVERGE_MS });
    assert.ok(
      !(await readDocument(id, { as: 'editor2' })).text.includes('Ada offline'),
      'nothing was sent while signed out',
    );
    // Her page's refresh presented the revoked cookie, which the server takes for a stolen token
    // being reused: it signed her out everywhere once more, at that moment. Tokens carry whole
    // seconds, and one issued in the second of a sign-out counts as before it: a person signs in
    // more than a second later, and so does this test.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await signInOnPage(adaEditor.page, 'editor');
    assert.equal(new URL(adaEditor.page.url()).pathname, `/documents/${id}`, 'back on the document');
    const again = Editor.of(ada, adaEditor.page, id);
    assert.equal(await converged(id, [again, bobEditor]), 'Bob offline. Online. Ada offline.');
  },
  { timeout: 150_000 },
);
