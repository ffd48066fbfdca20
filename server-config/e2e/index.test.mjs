// The index page: the signed-in person's documents with their role, the form that creates one
// (for writers only), and the way to the admin console (for admins only).

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createDocument, readDocument } from './api.mjs';
import { scenario, screenshot } from './browser.mjs';
import { Editor } from './editor.mjs';

scenario('the index lists the documents and creates one', async (stage) => {
  const listedTitle = `Listed ${randomUUID().slice(0, 8)}`;
  const listed = await createDocument(listedTitle);
  const person = await stage.person('Ada', { user: 'editor' });
  const page = await person.newPage();
  await page.goto('/');
  const link = page.locator(`#documents a[href="/documents/${listed}"]`);
  await link.waitFor({ state: 'visible' });
  assert.equal((await link.innerText()).trim(), listedTitle);
  assert.equal((await page.locator(`#documents li[data-id="${listed}"] .role`).innerText()).trim(), 'owner');
  assert.equal((await page.locator('#user').innerText()).trim(), 'editor');
  assert.equal(await page.locator('#admin-link').isHidden(), true, 'no admin console for a writer');

  const title = `Made in the browser ${randomUUID().slice(0, 8)}`;
  await page.locator('#create input[name="title"]').fill(title);
  await page.locator('#create [type="submit"]').click();
  await page.waitForURL(/\/documents\/[0-9a-f-]{36}/);
  const created = /** @type {string} */ (new URL(page.url()).pathname.split('/').pop());
  assert.equal((await readDocument(created)).title, title, 'the server has the new document');
  await new Editor(person, page, created).online();

  await page.goto('/');
  await page.locator(`#documents a[href="/documents/${created}"]`).waitFor({ state: 'visible' });
});

scenario('a viewer sees what is shared with them, and creates nothing; an admin finds the console', async (stage) => {
  const title = `Shared to view ${randomUUID().slice(0, 8)}`;
  const shared = await createDocument(title, { share: { viewer: 'viewer' } });
  const notShared = await createDocument(`Not shared ${randomUUID().slice(0, 8)}`);
  const viewer = await stage.person('Vic', { user: 'viewer' });
  const page = await viewer.newPage();
  await page.goto('/');
  await page.locator(`#documents li[data-id="${shared}"]`).waitFor({ state: 'visible' });
  assert.equal((await page.locator(`#documents li[data-id="${shared}"] .role`).innerText()).trim(), 'viewer');
  assert.equal(await page.locator(`#documents li[data-id="${notShared}"]`).count(), 0, 'only what is shared');
  assert.equal(await page.locator('#create').isHidden(), true, 'no create form without the group writer');
  await screenshot(page, 'index-viewer.png');

  const admin = await stage.person('Ann', { user: 'admin' });
  const adminPage = await admin.newPage();
  await adminPage.goto('/');
  await adminPage.locator('#admin-link').waitFor({ state: 'visible' });
  await adminPage.locator('#admin-link').click();
  await adminPage.waitForURL(/\/admin\.html$/);
});
