// What the editor tells a person when there is no document to edit, or none they may open.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createDocument, deleteDocument } from './api.mjs';
import { scenario, screenshot } from './browser.mjs';
import { converged, Editor } from './editor.mjs';

scenario('a document deleted while it is open says so and stops taking edits', async (stage) => {
  const id = await createDocument('soon deleted');
  const ada = await Editor.open(await stage.person('Ada', { user: 'editor' }), id);
  await ada.online();
  await ada.type('Soon gone.');
  await converged(id, [ada]);

  await deleteDocument(id);
  const notice = ada.page.locator('#notice[data-reason="deleted"]');
  await notice.waitFor({ state: 'visible' });
  assert.notEqual((await notice.innerText()).trim(), '', 'the notice says something');
  const readOnly = await ada.textarea.evaluate((area) => /** @type {HTMLTextAreaElement} */ (area).readOnly);
  assert.equal(readOnly, true, 'the text is read-only');
  await screenshot(ada.page, 'deleted.png');
});

scenario('an unknown document id says so', async (stage) => {
  const ada = await Editor.open(await stage.person('Ada', { user: 'editor' }), randomUUID());
  const notice = ada.page.locator('#notice[data-reason="unknown"]');
  await notice.waitFor({ state: 'visible' });
  assert.notEqual((await notice.innerText()).trim(), '', 'the notice says something');
  await screenshot(ada.page, 'unknown.png');
});

scenario('a document not shared with the person says they have no access, and shows nothing of it', async (stage) => {
  const id = await createDocument('private');
  const owner = await Editor.open(await stage.person('Ada', { user: 'editor' }), id);
  await owner.online();
  await owner.type('Only for Ada.');
  await converged(id, [owner]);

  const bob = await Editor.open(await stage.person('Bob', { user: 'editor2' }), id);
  const notice = bob.page.locator('#notice[data-reason="refused"]');
  await notice.waitFor({ state: 'visible' });
  assert.equal(await bob.text(), '', 'none of the text reached the page');
  assert.equal(await bob.readOnly(), true);
  assert.notEqual(await bob.page.title(), 'private · Folio', 'nor the title');
  await screenshot(bob.page, 'refused.png');
});
