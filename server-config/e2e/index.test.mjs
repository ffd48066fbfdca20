// The index page: the documents, and a form that creates one and opens its editor.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createDocument, readDocument } from './api.mjs';
import { scenario } from './browser.mjs';
import { Editor } from './editor.mjs';

scenario('the index lists the documents and creates one', async (stage) => {
  const listedTitle = `Listed ${randomUUID().slice(0, 8)}`;
  const listed = await createDocument(listedTitle);
  const person = await stage.person('Ada');
  const page = await person.newPage();
  await page.goto('/');
  const link = page.locator(`#documents a[href="/documents/${listed}"]`);
  await link.waitFor({ state: 'visible' });
  assert.equal((await link.innerText()).trim(), listedTitle);

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
