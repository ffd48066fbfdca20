// The sign-in page, /signin.html?next=<path>: a user name and password for POST /api/auth/login,
// then on to `next`, which must be a path of this site (anything else would let a link send a
// person who just signed in to another site: an open redirect).

import { appRoot } from './account.js';
import { Auth, AuthError, OfflineError, safeNextPath } from './auth.js';

const form = /** @type {HTMLFormElement} */ (document.getElementById('signin'));
const problem = /** @type {HTMLElement} */ (document.getElementById('problem'));
const demoUsers = /** @type {HTMLElement} */ (document.getElementById('demo-users'));
const root = appRoot();
const auth = new Auth({ root });
const next = safeNextPath(new URLSearchParams(location.search).get('next'), location.origin, `${root}/`);

/** What the person is told for each refusal. */
const REASONS = {
  'bad-credentials': 'Wrong user name or password.',
  csrf: 'The server refused this sign-in as coming from another site. Open this page from the server’s own address.',
};

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(form);
  const button = /** @type {HTMLButtonElement} */ (form.querySelector('button'));
  button.disabled = true;
  problem.hidden = true;
  try {
    await auth.login(String(data.get('username') ?? '').trim(), String(data.get('password') ?? ''));
    auth.stop(); // the next page gets its own token from the cookie
    location.replace(next);
    return;
  } catch (e) {
    if (e instanceof AuthError && e.status === 404) {
      // The development issuer is off: there are no passwords to take, nor demo users.
      demoUsers.hidden = true;
      show('not-available', 'This server does not sign in with a password.');
    } else if (e instanceof AuthError) {
      show(e.code, REASONS[/** @type {keyof typeof REASONS} */ (e.code)] ?? `The server refused: ${e.message}`);
    } else if (e instanceof OfflineError) {
      show('offline', 'The server cannot be reached: signing in needs the network.');
    } else {
      show('error', `Signing in failed: ${/** @type {Error} */ (e).message}`);
    }
  }
  button.disabled = false;
  /** @type {HTMLInputElement} */ (form.elements.namedItem('password')).select();
});

/** @param {string} code @param {string} message */
function show(code, message) {
  problem.dataset.code = code;
  problem.textContent = message;
  problem.hidden = false;
}
