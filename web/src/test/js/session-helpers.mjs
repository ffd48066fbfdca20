// What the DocumentSession tests share: waiting with a deadline, letting sockets and timers run,
// and the convergence check (every session quiet at the server's version, with its text).
import assert from 'node:assert/strict';

/** @typedef {import('../../main/webapp/js/document-session.js').DocumentSession} DocumentSession */
/** @typedef {import('./test-server.mjs').TestServer} TestServer */

/** @template T @param {Promise<T>} promise @param {string} what @param {number} [ms] */
export function within(promise, what, ms = 5000) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Lets sockets and timers run for a moment. */
export const tick = (ms = 1) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every session quiet, every copy equal to the server's. @param {TestServer} server @param {DocumentSession[]} sessions */
export async function assertConverged(server, sessions) {
  const settled = async () => {
    // Quiet is the client's view; the server's last broadcast may still be on its way.
    while (!sessions.every((s) => s.state === 'online' && s.pending === 0 && s.version === server.version)) {
      await Promise.all(sessions.map((s) => s.quiet()));
      await tick();
    }
  };
  await within(settled(), "every session to be quiet at the server's version");
  for (const session of sessions) {
    assert.equal(session.text, server.text(), `site ${session.site} differs from the server`);
    assert.equal(session.version, server.version, `site ${session.site} is at another version`);
  }
}

/**
 * Resolves with the detail of the next `type` event of `session` that `accept` takes.
 * @param {DocumentSession} session @param {string} type @param {(detail: any) => boolean} [accept]
 */
export function nextEvent(session, type, accept = () => true) {
  return new Promise((resolve) => {
    session.addEventListener(type, function listener(event) {
      const { detail } = /** @type {CustomEvent} */ (event);
      if (!accept(detail)) return;
      session.removeEventListener(type, listener);
      resolve(detail);
    });
  });
}
