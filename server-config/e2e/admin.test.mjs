// The admin console: every document with its owner and members, to delete; users to sign out
// everywhere; the limits and sessions; the nodes, sessions and charts pushed live, and a snapshot
// taken now. Anyone without the admin role is told they need it.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createDocument, readStatus, USERS } from './api.mjs';
import { artifacts, scenario, screenshot } from './browser.mjs';
import { eventually } from './editor.mjs';

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

scenario(
  'the console shows the nodes, a document with its session, and audits the actions taken on it',
  async (stage) => {
    const title = `Operated ${randomUUID().slice(0, 8)}`;
    const id = await createDocument(title);
    const writer = await stage.person('Eve', { user: 'editor' });
    const editorPage = await writer.newPage();
    await editorPage.goto(`/documents/${id}`);
    await editorPage.locator('#status[data-state="online"]').waitFor();

    const admin = await stage.person('Ann', { user: 'admin' });
    const page = await admin.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('/admin.html');

    // The nodes panel fills from the nodes' own announcements.
    const live = page.locator('#admin-nodes tbody tr[data-state="live"]');
    await live.first().waitFor();
    const node = await live.first().locator('td').allInnerTexts();
    assert.match(node[0], /\S/, 'the node is named');
    assert.equal(node[1].trim(), 'live');
    assert.match(node[5], /iB \/ .*iB/, 'heap used of the maximum');
    assert.ok((await page.locator('#admin-pipeline tbody tr[data-key="event-log"]').count()) === 1, 'the pipeline');

    // Found by a search, with the editor's session (node statuses come every 5 s).
    await page.locator('#document-search input[name="q"]').fill(title);
    await page.locator('#document-search button[type="submit"]').click();
    const row = page.locator(`#admin-documents tr[data-id="${id}"]`);
    // The row is in the unfiltered list too (with the suite's other documents): wait for the search's answer.
    await eventually(async () =>
      assert.equal(await page.locator('#admin-documents tbody tr').count(), 1, 'only the document searched for'),
    );
    await row.waitFor();
    await row.locator('td.sessions', { hasText: /^1$/ }).waitFor({ timeout: 20_000 });
    await screenshot(page, 'admin-console.png');

    // Close its sessions: confirmed, done on every node, the editor reconnects, and it is audited.
    page.once('dialog', (dialog) => dialog.accept());
    await row.locator('button.close-sessions').click();
    await page.locator('#message', { hasText: /closed the sessions of .* \(1 sessions closed on this node/ }).waitFor();
    const audited = page.locator(
      `#admin-audit tr[data-action="document.close-sessions"][data-target="document:${id}"]`,
    );
    await audited.waitFor();
    assert.match((await audited.locator('td').allInnerTexts())[1], /admin/, 'who did it');
    await editorPage.locator('#status[data-state="online"]').waitFor();

    // Give editor2 a role from the members panel: confirmed, and audited too.
    await row.locator('button.members').click();
    const panel = page.locator('#members-panel');
    await panel.waitFor();
    await panel.locator(`select[name="user"]`).selectOption(USERS.editor2.id);
    await panel.locator(`select[name="role"]`).selectOption('viewer');
    page.once('dialog', (dialog) => dialog.accept());
    await panel.locator('#member-add button[type="submit"]').click();
    await panel.locator(`#admin-members tr[data-user-id="${USERS.editor2.id}"]`).waitFor();
    await page.locator(`#admin-audit tr[data-action="document.member.set"][data-target="document:${id}"]`).waitFor();
    await screenshot(page, 'admin-console-audit.png');
  },
  { timeout: 90_000 },
);

scenario(
  'the console is pushed live: a session shows up without a reload, the charts draw, and a snapshot is taken now',
  async (stage) => {
    const title = `Live ${randomUUID().slice(0, 8)}`;
    const id = await createDocument(title);
    const admin = await stage.person('Ann', { user: 'admin' });
    const page = await admin.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto('/admin.html');
    await page.locator('#live[data-live="true"]').waitFor({ timeout: 20_000 });
    // No polling from here on: whatever changes on the page now was pushed by the server.
    await page.locator('#auto-refresh').uncheck();

    await page.locator('#document-search input[name="q"]').fill(title);
    await page.locator('#document-search button[type="submit"]').click();
    await eventually(async () =>
      assert.equal(await page.locator('#admin-documents tbody tr').count(), 1, 'only the document searched for'),
    );
    const row = page.locator(`#admin-documents tr[data-id="${id}"]`);
    await row.locator('td.sessions', { hasText: /^0$/ }).waitFor();

    const writer = await stage.person('Eve', { user: 'editor' });
    const editorPage = await writer.newPage();
    await editorPage.goto(`/documents/${id}`);
    await editorPage.locator('#status[data-state="online"]').waitFor();
    await editorPage.waitForFunction(
      () => !(/** @type {HTMLTextAreaElement} */ (document.querySelector('textarea#text')).readOnly),
    );
    await editorPage.locator('textarea#text').pressSequentially('pushed to the console');
    // Node statuses come every 5 s, and the stream pushes them every 2 s.
    await row.locator('td.sessions', { hasText: /^1$/ }).waitFor({ timeout: 20_000 });

    await page.locator('#chart-deltas canvas').waitFor();
    await page.locator('#chart-latency canvas').waitFor();
    assert.match(await page.locator('#charts-node').innerText(), /\S/, 'the charts name their node');
    // What an operator sees first at 1280x800, then the charts alone.
    await page.screenshot({ path: path.join(artifacts, 'admin-live-viewport.png') });
    await page.locator('#charts-panel').screenshot({ path: path.join(artifacts, 'admin-charts.png') });

    page.once('dialog', (dialog) => dialog.accept());
    await row.locator('button.snapshot').click();
    await page
      .locator('#message', { hasText: /snapshot of .* (was taken at|was already at its live) version/ })
      .waitFor();
    await page.locator(`#admin-audit tr[data-action="document.snapshot"][data-target="document:${id}"]`).waitFor();
    await screenshot(page, 'admin-live.png');
  },
  { timeout: 90_000 },
);
