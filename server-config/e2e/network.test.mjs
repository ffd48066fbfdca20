// A bad network between Bob's page and the server; Ada's is fine. Bob's page must end with the
// server's text, the same as Ada's, with nothing applied twice.

import assert from 'node:assert/strict';
import { createDocument } from './api.mjs';
import { scenario } from './browser.mjs';
import { converged, Editor, eventually, occurrences } from './editor.mjs';
import { duplicateServerMessages, Injector, StallingLink } from './network.mjs';

scenario('every server message arriving twice changes nothing', async (stage) => {
  const id = await createDocument('duplicates', { share: { editor2: 'editor' } });
  const ada = await Editor.open(await stage.person('Ada', { user: 'editor' }), id);
  const bob = await Editor.open(await stage.person('Bob', { user: 'editor2' }), id, {
    beforeLoad: duplicateServerMessages,
  });
  await Promise.all([ada.online(), bob.online()]);

  await ada.type('Ada first.');
  await converged(id, [ada, bob]);
  await ada.caretEnd();
  await bob.caretHome();
  await Promise.all([ada.type(' Ada again.'), bob.type('Bob twice? ')]);
  const text = await converged(id, [ada, bob]);
  assert.equal(text, 'Bob twice? Ada first. Ada again.');
});

scenario('a connection lost before its acks arrive resumes without doubling text', async (stage) => {
  const id = await createDocument('lost acks', { share: { editor2: 'editor' } });
  const link = new StallingLink();
  const ada = await Editor.open(await stage.person('Ada', { user: 'editor' }), id);
  const bob = await Editor.open(await stage.person('Bob', { user: 'editor2' }), id, {
    beforeLoad: (page) => link.install(page),
  });
  await Promise.all([ada.online(), bob.online()]);

  // Bob's first keystroke is acked; the acks of the rest are stored on the server but held back.
  const typed = 'Bob typed this while his acks were lost.';
  await bob.type(typed);
  await eventually(async () => {
    assert.ok(link.deltasSent >= 3, `Bob's page sent several deltas (${link.deltasSent})`);
    assert.ok(link.acksWithheld > 0, 'some acks were held back');
    const { acksFromServer, deltasSent } = link;
    assert.ok(acksFromServer >= deltasSent, `the server acked all ${deltasSent} deltas (${acksFromServer})`);
  });
  assert.ok((await bob.pendingCount()) > 0, 'Bob still waits for acks');
  await link.cut();

  // The page joins again on a good connection and resends what it has no ack for.
  await ada.caretEnd();
  await ada.type(' Ada saw it.');
  const text = await converged(id, [ada, bob]);
  assert.ok(link.connections >= 2, 'the page connected again');
  assert.equal(occurrences(text, typed), 1, `Bob's text is there once: ${JSON.stringify(text)}`);
  assert.equal(text, `${typed} Ada saw it.`);
});

scenario('an error frame and a delta of an old version leave the page working', async (stage) => {
  const id = await createDocument('odd frames', { share: { editor2: 'editor' } });
  const injector = new Injector();
  const ada = await Editor.open(await stage.person('Ada', { user: 'editor' }), id);
  const bob = await Editor.open(await stage.person('Bob', { user: 'editor2' }), id, {
    beforeLoad: (page) => injector.install(page),
  });
  await Promise.all([ada.online(), bob.online()]);

  await ada.type('one ');
  await converged(id, [ada, bob]);
  await ada.type('two ');
  await converged(id, [ada, bob]);
  const old = injector.deltasSeen.find((frame) => frame.ops?.some((/** @type {any} */ op) => op.type === 'insert'));
  assert.ok(old, "Bob's page received Ada's deltas");
  const version = await bob.version();
  assert.ok(old.version < version, `the replayed delta's version ${old.version} is below the page's ${version}`);

  // An error about nothing the page sent, the same delta again, and a delta under that old
  // version that the server never had: a page that applied the last would show "#".
  injector.inject({ type: 'error', code: 'malformed-frame', message: 'x' });
  injector.inject(old);
  const insert = old.ops.find((/** @type {any} */ op) => op.type === 'insert');
  const forgedId = insert.id.map((/** @type {number[]} */ level) => [...level]);
  forgedId[forgedId.length - 1][2] += 1_000_000;
  injector.inject({ ...old, ops: [{ type: 'insert', id: forgedId, text: '#' }] });

  await bob.caretEnd();
  await bob.type('three');
  const text = await converged(id, [ada, bob]);
  assert.equal(text, 'one two three');
  assert.ok((await bob.version()) >= version, "Bob's version never went back");
  assert.equal(await bob.notice.isHidden(), true, 'no notice for frames the page can ignore');
});
