// Presence: each person sees who else is in the document, by the name they signed in with, and
// where their caret is.

import assert from 'node:assert/strict';
import { createDocument } from './api.mjs';
import { scenario, screenshot } from './browser.mjs';
import { converged, Editor } from './editor.mjs';

/**
 * Waits until `viewer` shows `other`'s caret over its textarea and lists them in #people.
 * @param {Editor} viewer
 * @param {Editor} other
 */
async function seesCaretOf(viewer, other) {
  const site = await other.site();
  assert.equal(typeof site, 'number', `${other} has a site once online`);

  const person = viewer.page.locator(`#people li[data-site="${site}"]`);
  await person.waitFor({ state: 'visible' });
  assert.equal((await person.innerText()).trim(), other.person.user, `${viewer} lists ${other.person.user}`);

  const caret = viewer.page.locator(`.caret[data-site="${site}"]`);
  await caret.waitFor({ state: 'visible' });
  assert.equal(await caret.getAttribute('data-name'), other.person.user);

  // Drawn over the text, not somewhere else on the page. Carets are drawn again when presence
  // arrives (every few seconds): a caret replaced between the wait and the measure has no box, so
  // measure the one that is there now, a few times if need be.
  let box = null;
  for (let attempt = 0; attempt < 20 && !box; attempt++) {
    box = await caret.boundingBox();
    if (!box) await viewer.page.waitForTimeout(100);
  }
  const area = await viewer.textarea.boundingBox();
  assert.ok(box && area, 'caret and textarea are laid out');
  const inside =
    box.x >= area.x - 1 && box.x <= area.x + area.width + 1 && box.y >= area.y - 1 && box.y <= area.y + area.height;
  assert.ok(inside, `${other.person.name}'s caret ${JSON.stringify(box)} is over the textarea ${JSON.stringify(area)}`);
}

scenario('each person sees the other one and their caret', async (stage) => {
  const id = await createDocument('two carets', { share: { editor2: 'editor' } });
  const ada = await Editor.open(await stage.person('Ada', { user: 'editor' }), id);
  const bob = await Editor.open(await stage.person('Bob', { user: 'editor2' }), id);
  await Promise.all([ada.online(), bob.online()]);

  await ada.type('Ada starts the first line, ');
  await converged(id, [ada, bob]);
  await bob.caretEnd();
  await bob.type('and Bob ends it.');
  await converged(id, [ada, bob]);
  // Carets in two different places, each page focused on its own text.
  await ada.caretAt(4);
  await bob.caretEnd();

  await seesCaretOf(ada, bob);
  await seesCaretOf(bob, ada);
  assert.equal(await ada.page.locator('#people li').count(), 1, "Ada's list has only the other person");
  await screenshot(ada.page, 'two-carets-a.png');
  await screenshot(bob.page, 'two-carets-b.png');
});
