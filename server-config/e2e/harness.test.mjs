// The plumbing itself: Chromium starts, reaches the stack, and the REST helpers round-trip.
// If this fails, every other browser test fails for the same reason: read this one first.

import assert from 'node:assert/strict';
import { createDocument, deleteDocument, readDocument } from './api.mjs';
import { scenario, screenshot } from './browser.mjs';

scenario('the browser reaches the running stack', async (stage) => {
  const person = await stage.person('Smoke');
  const page = await person.newPage();
  const ready = await page.goto('/health/ready');
  assert.equal(ready?.status(), 200, 'GET /health/ready from the browser');

  const id = await createDocument('harness');
  const listed = await page.evaluate(async () => (await fetch('/api/documents')).json());
  assert.ok(
    listed.some((/** @type {{id: string}} */ document) => document.id === id),
    'the browser sees the document created over REST',
  );
  const created = await readDocument(id);
  assert.deepEqual({ text: created.text, version: created.version }, { text: '', version: 0 });
  await deleteDocument(id);
  await screenshot(page, 'harness.png');
});
