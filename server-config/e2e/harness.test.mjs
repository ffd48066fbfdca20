// The plumbing itself: Chromium starts, reaches the stack, signs in, and the REST helpers
// round-trip. If this fails, every other browser test fails for the same reason: read this one
// first.

import assert from 'node:assert/strict';
import { createDocument, deleteDocument, readDocument } from './api.mjs';
import { scenario, screenshot } from './browser.mjs';

scenario('the browser reaches the running stack and signs in', async (stage) => {
  const person = await stage.person('Smoke', { user: 'editor' });
  const page = await person.newPage();
  const ready = await page.goto('/health/ready');
  assert.equal(ready?.status(), 200, 'GET /health/ready from the browser');

  // The refresh cookie the sign-in left in this context gives the page a token.
  const me = await page.evaluate(async () => {
    const refresh = await fetch('/api/auth/refresh', { method: 'POST', headers: { 'X-Folio-CSRF': '1' } });
    if (!refresh.ok) return { status: refresh.status };
    const { accessToken } = await refresh.json();
    const response = await fetch('/api/auth/me', { headers: { Authorization: `Bearer ${accessToken}` } });
    return { status: response.status, me: await response.json() };
  });
  assert.equal(me.status, 200, `the page is signed in: ${JSON.stringify(me)}`);
  assert.equal(me.me?.name, 'editor');

  const id = await createDocument('harness');
  const created = await readDocument(id);
  assert.deepEqual(
    { text: created.text, version: created.version, role: created.role },
    { text: '', version: 0, role: 'owner' },
  );
  await deleteDocument(id);
  await screenshot(page, 'harness.png');
});
