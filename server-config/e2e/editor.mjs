// The editor page (/documents/{id}) as a person uses it, and the convergence check. The DOM
// contract these helpers rely on:
//   textarea#text                     the text; people type into it (read-only for a viewer)
//   #status[data-state]               connecting | online | offline | signed-out | closed
//   #pending[data-count]              local edits the server has not acknowledged yet
//   #view-only                        shown when the person may only view the document
//   #people li[data-site]             the other people present, name as text
//   .caret[data-site][data-name]      the other people's carets, over the textarea
//   #notice[data-reason]              deleted | unknown | refused | signed-out | rejected-edit | ...;
//                                     `hidden` otherwise
//   #user, #sign-out                  who is signed in (every page but the sign-in page)
//   #share[data-role]                 the members: #members li[data-user-id][data-role]; for the
//                                     owner select.member-role, button.remove and form#add-member
//                                     (select[name=user], select[name=role])
//   window.folio                      { text(), version(), pending(), site(), quiet(), stored(),
//                                       saved(), role(), tokenExpiresAt() }

import { readDocument } from './api.mjs';

/** @typedef {import('./browser.mjs').Person} Person */
/** @typedef {import('playwright-core').Page} Page */

/** How long convergence may take: the server acks in milliseconds, so this is generous. */
export const CONVERGE_MS = 20_000;

// A person types at a human-ish pace, so that keystrokes become separate edits and interleave
// with the other person's.
const KEY_DELAY_MS = 15;

/**
 * What a page shows about its connection and text.
 * @typedef {object} EditorState
 * @property {string | null} status data-state of #status
 * @property {number} pending data-count of #pending
 * @property {string} text the textarea's value
 */

export class Editor {
  /**
   * @param {Person} person
   * @param {Page} page
   * @param {string} documentId
   */
  constructor(person, page, documentId) {
    this.person = person;
    this.page = page;
    this.documentId = documentId;
    this.textarea = page.locator('textarea#text');
    this.notice = page.locator('#notice');
  }

  /**
   * Opens the document in a new tab of `person`'s browser (signed in as `person.user`).
   * @param {Person} person
   * @param {string} documentId
   * @param {{beforeLoad?: (page: Page) => Promise<void>}} [options] e.g. to route its WebSocket
   * @returns {Promise<Editor>}
   */
  static async open(person, documentId, { beforeLoad } = {}) {
    const page = await person.newPage();
    if (beforeLoad) {
      await beforeLoad(page);
    }
    const response = await page.goto(`/documents/${documentId}`);
    if (!response?.ok()) {
      throw new Error(`GET ${page.url()}: HTTP ${response?.status()}`);
    }
    return new Editor(person, page, documentId);
  }

  /** The page as it is now, e.g. after signing in again on the sign-in page it was sent to. */
  static of(/** @type {Person} */ person, /** @type {Page} */ page, /** @type {string} */ documentId) {
    return new Editor(person, page, documentId);
  }

  /** @returns {string} for messages */
  toString() {
    return `${this.person.name}'s editor`;
  }

  /**
   * @param {string} state connecting | online | offline | closed
   * @param {number} [timeout]
   */
  async waitForStatus(state, timeout = CONVERGE_MS) {
    await this.page.waitForSelector(`#status[data-state="${state}"]`, { state: 'attached', timeout });
  }

  /** Online and ready to type (the textarea is read-only until the text is loaded). */
  async online() {
    await this.signedIn();
    await this.waitForStatus('online');
    await this.textarea.waitFor({ state: 'visible' });
    await this.page.waitForFunction(() => {
      const text = /** @type {HTMLTextAreaElement | null} */ (document.querySelector('textarea#text'));
      return text !== null && !text.readOnly;
    });
  }

  /** Online as a viewer: the text shows, "View only" says why it cannot be changed. */
  async viewing() {
    await this.signedIn();
    await this.waitForStatus('online');
    await this.page.locator('#view-only').waitFor({ state: 'visible' });
  }

  /** Fails at once, and clearly, if the page was sent to the sign-in page. */
  async signedIn() {
    await this.page.waitForSelector('#user:not(:empty)', { timeout: CONVERGE_MS }).catch((error) => {
      const url = this.page.url();
      throw new Error(url.includes('/signin.html') ? `${this} was sent to sign in: ${url}` : error.message);
    });
  }

  /** @returns {Promise<boolean>} */
  async readOnly() {
    return this.textarea.evaluate((area) => /** @type {HTMLTextAreaElement} */ (area).readOnly);
  }

  /** @returns {Promise<EditorState>} */
  async state() {
    return this.page.evaluate(() => {
      const text = /** @type {HTMLTextAreaElement | null} */ (document.querySelector('textarea#text'));
      const pending = document.querySelector('#pending')?.getAttribute('data-count');
      return {
        status: document.querySelector('#status')?.getAttribute('data-state') ?? null,
        pending: pending == null ? NaN : Number(pending),
        text: text ? text.value : '',
      };
    });
  }

  /** @returns {Promise<number | null>} the LSEQ site the page edits as (test hook) */
  async site() {
    return this.page.evaluate(() => /** @type {any} */ (window).folio.site());
  }

  /** @returns {Promise<number>} the last version the page processed (test hook) */
  async version() {
    return this.page.evaluate(() => /** @type {any} */ (window).folio.version());
  }

  /** @returns {Promise<number>} */
  async pendingCount() {
    return (await this.state()).pending;
  }

  /** @returns {Promise<string>} */
  async text() {
    return this.textarea.inputValue();
  }

  /** Puts the caret at the start, with the keyboard, as a person would. */
  async caretHome() {
    await this.textarea.focus();
    await this.page.keyboard.press('Control+Home');
  }

  /** Puts the caret at the end. */
  async caretEnd() {
    await this.textarea.focus();
    await this.page.keyboard.press('Control+End');
  }

  /**
   * Puts the caret after `index` characters: a click into the text, then the arrow keys (the text
   * is one line in these tests, so Home then Right is exact).
   * @param {number} index
   */
  async caretAt(index) {
    await this.textarea.click();
    await this.page.keyboard.press('Control+Home');
    for (let i = 0; i < index; i++) {
      await this.page.keyboard.press('ArrowRight');
    }
  }

  /**
   * Types at the caret, key by key.
   * @param {string} text
   */
  async type(text) {
    await this.textarea.pressSequentially(text, { delay: KEY_DELAY_MS });
  }

  /**
   * Inserts `text` at the caret in one input event, as a paste does (without the clipboard,
   * which headless Chromium does not share between contexts).
   * @param {string} text
   */
  async paste(text) {
    await this.textarea.focus();
    await this.page.keyboard.insertText(text);
  }

  /**
   * Selects `count` characters right of the caret with Shift+ArrowRight and deletes them.
   * @param {number} count
   */
  async selectRightAndDelete(count) {
    await this.textarea.focus();
    for (let i = 0; i < count; i++) {
      await this.page.keyboard.press('Shift+ArrowRight');
    }
    await this.page.keyboard.press('Backspace');
  }

  /**
   * Waits until #pending shows at least `count` unacknowledged edits.
   * @param {number} count
   */
  async waitForPendingAtLeast(count) {
    await this.page.waitForFunction(
      (n) => Number(document.querySelector('#pending')?.getAttribute('data-count')) >= n,
      count,
      { timeout: CONVERGE_MS },
    );
  }
}

/**
 * Polls `probe` until it returns without throwing, or throws its last error at the deadline.
 * The tests never sleep to synchronize: they wait for what they expect to see.
 * @template T
 * @param {() => Promise<T>} probe
 * @param {number} [timeout]
 * @param {number} [interval]
 * @returns {Promise<T>}
 */
export async function eventually(probe, timeout = CONVERGE_MS, interval = 100) {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await probe();
    } catch (error) {
      if (Date.now() >= deadline) {
        throw error;
      }
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/**
 * Waits until every editor is online with nothing pending and shows the server's text (read as
 * the first editor's user), and returns that text. On timeout the error shows each page's state
 * and the server's.
 * @param {string} documentId
 * @param {Editor[]} editors
 * @param {number} [timeout]
 * @returns {Promise<string>}
 */
export async function converged(documentId, editors, timeout = CONVERGE_MS) {
  return eventually(async () => {
    const states = await Promise.all(editors.map((editor) => editor.state()));
    const server = await readDocument(documentId, { as: editors[0].person.user });
    const settled = states.every((state) => state.status === 'online' && state.pending === 0);
    const equal = states.every((state) => state.text === server.text);
    if (!settled || !equal) {
      const lines = editors.map((editor, i) => {
        const { status, pending, text } = states[i];
        return `  ${editor}: status=${status} pending=${pending} text=${JSON.stringify(text)}`;
      });
      lines.push(`  server (version ${server.version}): ${JSON.stringify(server.text)}`);
      throw new Error(`not converged after ${timeout} ms:\n${lines.join('\n')}`);
    }
    return server.text;
  }, timeout);
}

/**
 * How often `part` occurs in `whole` (to check that nothing was applied twice).
 * @param {string} whole
 * @param {string} part
 * @returns {number}
 */
export function occurrences(whole, part) {
  let count = 0;
  for (let at = whole.indexOf(part); at >= 0; at = whole.indexOf(part, at + part.length)) {
    count++;
  }
  return count;
}
