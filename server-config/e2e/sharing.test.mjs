// Sharing and viewing: the owner shares the document from the editor's panel; a viewer sees the
// owner's edits live but cannot change the text, and sees who has access without the controls.

import assert from 'node:assert/strict';
import { createDocument, readDocument, USERS } from './api.mjs';
import { scenario, screenshot } from './browser.mjs';
import { converged, CONVERGE_MS, Editor } from './editor.mjs';
import { Recorder } from './network.mjs';

scenario('a viewer the owner shared with sees the edits live and cannot type', async (stage) => {
  const id = await createDocument('shared to view');
  const owner = await Editor.open(await stage.person('Ada', { user: 'editor' }), id);
  await owner.online();

  // The owner shares it from the panel: the viewer, as a viewer.
  const share = owner.page.locator('#share[data-role="owner"]');
  await share.waitFor({ state: 'visible' });
  await owner.page.locator('#add-member select[name="user"]').selectOption({ label: 'viewer' });
  await owner.page.locator('#add-member select[name="role"]').selectOption('viewer');
  await owner.page.locator('#add-member [type="submit"]').click();
  await owner.page.locator(`#members li[data-user-id="${USERS.viewer.id}"]`).waitFor();
  assert.equal(
    await owner.page.locator(`#members li[data-user-id="${USERS.viewer.id}"] select.member-role`).inputValue(),
    'viewer',
  );
  await screenshot(owner.page, 'share-panel-owner.png');

  const recorder = new Recorder();
  const viewer = await Editor.open(await stage.person('Vic', { user: 'viewer' }), id, {
    beforeLoad: (page) => recorder.install(page),
  });
  await viewer.viewing();
  assert.equal(await viewer.readOnly(), true, 'the text cannot be changed');

  await owner.type('Written by the owner, ');
  await owner.type('read by the viewer.');
  assert.equal(await converged(id, [owner, viewer]), 'Written by the owner, read by the viewer.');

  // Typing, pasting, deleting: nothing changes, nothing is sent.
  await viewer.textarea.click();
  await viewer.page.keyboard.type('viewer was here');
  await viewer.page.keyboard.press('Backspace');
  await viewer.paste(' pasted');
  assert.equal(await viewer.text(), 'Written by the owner, read by the viewer.');
  await owner.caretEnd();
  await owner.type(' More.');
  assert.equal(await converged(id, [owner, viewer]), 'Written by the owner, read by the viewer. More.');
  assert.equal(recorder.sent('delta').length, 0, 'the viewer sent no delta');
  assert.equal(recorder.received('joined')[0]?.role, 'viewer');

  // The viewer sees who has access, without the owner's controls.
  const members = viewer.page.locator('#share[data-role="viewer"] #members li');
  await members.first().waitFor();
  assert.deepEqual(
    await members.evaluateAll((items) =>
      items.map((item) => [item.querySelector('.name')?.textContent, item.getAttribute('data-role')]),
    ),
    [
      ['editor', 'owner'],
      ['viewer', 'viewer'],
    ],
  );
  assert.equal(await viewer.page.locator('#add-member').isHidden(), true);
  assert.equal(await viewer.page.locator('#members .remove').count(), 0);
  await screenshot(viewer.page, 'viewer.png');
});

scenario('the owner takes a share back, and changes a role', async (stage) => {
  const id = await createDocument('shared, then not', { share: { editor2: 'editor', viewer: 'viewer' } });
  const owner = await Editor.open(await stage.person('Ada', { user: 'editor' }), id);
  await owner.online();
  const editor2 = owner.page.locator(`#members li[data-user-id="${USERS.editor2.id}"]`);
  await editor2.waitFor();
  await editor2.locator('select.member-role').selectOption('viewer');
  await owner.page.locator(`#members li[data-user-id="${USERS.editor2.id}"][data-role="viewer"]`).waitFor();
  await owner.page.locator(`#members li[data-user-id="${USERS.viewer.id}"] button.remove`).click();
  await owner.page
    .locator(`#members li[data-user-id="${USERS.viewer.id}"]`)
    .waitFor({ state: 'detached', timeout: CONVERGE_MS });
  assert.equal(await owner.page.locator(`#members li[data-role="owner"] .remove`).count(), 0, 'the owner stays');
  assert.equal((await readDocument(id, { as: 'editor2' })).role, 'viewer', 'the server has the new role');
});
