// The admin console: every document with its owner and members, to delete; users to sign out
// everywhere; the limits and sessions. Anyone without the admin role is told they need it.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createDocument, readStatus, USERS } from './api.mjs';
import { scenario, screenshot } from './browser.mjs';

scenario('the admin console lists every document, deletes one, and signs a user out everywhere', async (stage) => {
  const title = `For the admin ${randomUUID().slice(0, 8)}`;
  const id = await createDocument(title, { share: { viewer: 'viewer' } });
  const admin = await stage.person('Ann', { user: 'admin' });
  const page = await admin.newPage();
  await page.goto('/admin.html');

  const row = page.locator(`#admin-documents tr[data-id="${id}"]`);
  await row.waitFor();
  const cells = await row.locator('td').allInnerTexts();
  assert.equal(cells[0].trim(), title);
  assert.equal(cells[1].trim(), 'editor', 'the owner');
  assert.equal(cells[2].trim(), '2', 'the members: the owner and the viewer');
  assert.ok((await page.locator('#admin-limits tbody tr').count()) > 0, 'the limits');
  assert.ok((await page.locator('#admin-sessions tbody tr').count()) > 0, 'the sessions');
  await screenshot(page, 'admin.png');

  page.once('dialog', (dialog) => dialog.accept());
  await row.locator('button.delete').click();
  await row.waitFor({ state: 'detached' });
  assert.equal(await readStatus(id), 404, 'deleted on the server');

  // editor2 is signed in elsewhere; the admin signs them out on every device.
  const other = await stage.person('Bob', { user: 'editor2' });
  const otherPage = await other.newPage();
  await otherPage.goto('/');
  await otherPage.locator('#user:not(:empty)').waitFor();
  const user = page.locator(`#admin-users tr[data-user-id="${USERS.editor2.id}"]`);
  page.once('dialog', (dialog) => dialog.accept());
  await user.locator('button.sign-out-everywhere').click();
  await user.locator('.done', { hasText: 'Signed out' }).waitFor();
  await otherPage.reload();
  await otherPage.waitForURL(/\/signin\.html/);
});

scenario('the admin console needs the admin role', async (stage) => {
  const person = await stage.person('Ada', { user: 'editor' });
  const page = await person.newPage();
  await page.goto('/admin.html');
  const problem = page.locator('#problem[data-code="forbidden"]');
  await problem.waitFor({ state: 'visible' });
  assert.match(await problem.innerText(), /admin role/);
  assert.equal(await page.locator('#console').isHidden(), true);
});
