// What the editor tells a person when there is no document to edit.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createDocument, deleteDocument } from './api.mjs';
import { scenario, screenshot } from './browser.mjs';
import { converged, Editor } from './editor.mjs';

scenario('a document deleted while it is open says so and stops taking edits', async (stage) => {
  const id = await createDocument('soon deleted');
  const ada = await Editor.open(await stage.person('Ada'), id);
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
  const ada = await Editor.open(await stage.person('Ada'), randomUUID());
  const notice = ada.page.locator('#notice[data-reason="unknown"]');
  await notice.waitFor({ state: 'visible' });
  assert.notEqual((await notice.innerText()).trim(), '', 'the notice says something');
  await screenshot(ada.page, 'unknown.png');
});
