// Two people type into the same document at the same time, each in their own browser, signed
// in as two users (the document is shared with the second one as an editor).

import assert from 'node:assert/strict';
import { createDocument } from './api.mjs';
import { scenario } from './browser.mjs';
import { converged, Editor } from './editor.mjs';

scenario('two people typing at once in different places converge', async (stage) => {
  const id = await createDocument('typing together', { share: { editor2: 'editor' } });
  const ada = await Editor.open(await stage.person('Ada', { user: 'editor' }), id);
  const bob = await Editor.open(await stage.person('Bob', { user: 'editor2' }), id);
  await Promise.all([ada.online(), bob.online()]);
  assert.equal(await ada.notice.isHidden(), true, '#notice is hidden while all is well');

  await ada.type('Hello world.');
  assert.equal(await converged(id, [ada, bob]), 'Hello world.');

  // Both type at once: Ada at the end, Bob at the start. Each page moves its own caret over the
  // other's characters, so every keystroke lands where its person put the caret.
  await ada.caretEnd();
  await bob.caretHome();
  await Promise.all([ada.type(' Ada was here.'), bob.type('Bob says: ')]);
  assert.equal(await converged(id, [ada, bob]), 'Bob says: Hello world. Ada was here.');

  // At once again: Ada pastes in the middle (one input event, as a paste is), while Bob selects
  // "world" with Shift+Arrow, deletes it and types over it.
  const text = 'Bob says: Hello world. Ada was here.';
  await ada.caretAt(text.indexOf(' world'));
  await bob.caretAt(text.indexOf('world'));
  await Promise.all([
    ada.paste(' big'),
    (async () => {
      await bob.selectRightAndDelete('world'.length);
      await bob.type('Folio');
    })(),
  ]);
  assert.equal(await converged(id, [ada, bob]), 'Bob says: Hello big Folio. Ada was here.');
});
