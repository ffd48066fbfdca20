// Who is signed in, and the access token that proves it (docs/security.md).
//
// The access token lives in this object only: never in localStorage, sessionStorage or IndexedDB,
// where a script injected into any page of the origin could read it later. The refresh token is
// the HTTP-only cookie `folio_refresh`, which no script sees at all; POST /api/auth/refresh turns
// it into a new access token (and a new cookie: each refresh token is good once). What is kept
// across page loads is only the signed-in user {id, name, groups}, so that a page can open, and
// claim this user's saved edits, without a network.
//
// Events (CustomEvent):
//   token       {token}        a new access token (an open WebSocket sends it as an `auth` frame)
//   signed-out  {userChanged}  the server no longer signs this page in: its refresh cookie is
//                              gone (401 `signed-out`), or it now belongs to another user

/** @typedef {{id: string, name: string, groups: string[]}} User */
/**
 * @typedef {{accessToken: string, expiresAt: number, user: {id: string, name: string, groups?: string[]}}} SignedInBody
 * the server's answer to a login or refresh (docs/security.md)
 */

/** The one key this module writes: the signed-in user, never a token. */
export const USER_KEY = 'folio.user';

/** Refresh when this share of the token's life has passed, so a slow network never meets expiry. */
const REFRESH_AT = 0.7;

/** A refresh that takes longer than this is given up: every caller waits on it. */
const REFRESH_TIMEOUT_MS = 15_000;

/** The cookie calls' CSRF header: a cross-site form or image cannot send it. */
const CSRF = { 'X-Folio-CSRF': '1' };

/** The server no longer signs this page in: sign in again. */
export class SignedOutError extends Error {
  /** Read by DocumentSession, which does not import this module. */
  signedOut = true;
  /** @param {boolean} [userChanged] another user is signed in now */
  constructor(userChanged = false) {
    super(userChanged ? 'another user signed in in this browser' : 'signed out');
    this.name = 'SignedOutError';
    this.userChanged = userChanged;
  }
}

/** The server could not be reached, or could not answer: keep working offline, try again later. */
export class OfflineError extends Error {
  name = 'OfflineError';
}

/** A sign-in the server refused: `code` is its error code (bad-credentials, csrf, ...). */
export class AuthError extends Error {
  name = 'AuthError';
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export class Auth extends EventTarget {
  #root;
  #fetch;
  #storage;
  #now;
  #setTimer;
  #clearTimer;
  #locks;

  /** @type {string | null} */
  #token = null;
  /** Local clock time until which #token is used as it is. */
  #validUntil = 0;
  /** @type {Promise<string> | null} the refresh under way, shared by every caller */
  #refreshing = null;
  /** @type {unknown} whatever setTimer returned: only clearTimer reads it */
  #timer = null;
  /** @type {User | null} the user this page works as, once settled; another one is a sign-out */
  #pageUser = null;
  #signedOut = false;

  /**
   * @param {object} [options]
   * @param {string} [options.root] the application's context root ('' at the server's root)
   * @param {typeof fetch} [options.fetch]
   * @param {Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>} [options.storage] where the user is kept
   * @param {() => number} [options.now]
   * @param {(task: () => void, ms: number) => unknown} [options.setTimer]
   * @param {(timer: unknown) => void} [options.clearTimer] given what setTimer returned, or null
   * @param {{request: (name: string, task: () => Promise<string>) => Promise<string>} | null} [options.locks]
   *   Web Locks: refreshes of all tabs take turns, see #refreshNow
   */
  constructor({
    root = '',
    fetch: fetchFunction = (...args) => fetch(...args),
    storage = globalThis.localStorage,
    now = Date.now,
    setTimer = (task, ms) => setTimeout(task, ms),
    clearTimer = (timer) => clearTimeout(/** @type {ReturnType<typeof setTimeout> | null} */ (timer) ?? undefined),
    locks = typeof navigator !== 'undefined' ? (navigator.locks ?? null) : null,
  } = {}) {
    super();
    this.#root = root;
    this.#fetch = fetchFunction;
    this.#storage = storage;
    this.#now = now;
    this.#setTimer = setTimer;
    this.#clearTimer = clearTimer;
    this.#locks = locks;
  }

  /** The signed-in user as last seen in this browser (no network needed), or null. @returns {User | null} */
  get user() {
    try {
      const user = JSON.parse(this.#storage.getItem(USER_KEY) ?? 'null');
      return user && typeof user.id === 'string'
        ? { id: user.id, name: String(user.name), groups: user.groups ?? [] }
        : null;
    } catch {
      return null;
    }
  }

  /**
   * On page load: a token from the refresh cookie. Resolves with the user the page works as: the
   * server's answer, or offline the one kept from last time (null if none). Null after a
   * `signed-out` event too.
   * @returns {Promise<User | null>}
   */
  async start() {
    try {
      await this.refresh();
    } catch (e) {
      if (e instanceof SignedOutError) return null;
      console.info('signed-in user from this browser, the server cannot be reached:', /** @type {Error} */ (e).message);
    }
    this.#pageUser ??= this.user;
    return this.#pageUser;
  }

  /**
   * A valid access token: the one in memory while it lasts, else a refreshed one. With
   * `replacing`, one other than that (it was refused): a caller that got a 401 passes the token
   * it sent, so that many callers refused at once share one refresh.
   * @param {{replacing?: string | null}} [options]
   * @returns {Promise<string>} rejects with SignedOutError or OfflineError
   */
  async token({ replacing = null } = {}) {
    if (this.#token && this.#token !== replacing && this.#now() < this.#validUntil) return this.#token;
    return this.refresh();
  }

  /**
   * A new access token from the refresh cookie. One refresh at a time: callers that come while one
   * is under way get its result.
   * @returns {Promise<string>}
   */
  refresh() {
    if (this.#signedOut) return Promise.reject(new SignedOutError());
    this.#refreshing ??= (
      this.#locks ? this.#locks.request('folio:auth-refresh', () => this.#refreshNow()) : this.#refreshNow()
    ).finally(() => {
      this.#refreshing = null;
    });
    return this.#refreshing;
  }

  /**
   * `fetch` of an API path with the Bearer token; a 401 (expired or revoked meanwhile) gets one
   * more try with a refreshed token.
   * @param {string} path e.g. '/api/documents'
   * @param {RequestInit} [init]
   * @returns {Promise<Response>} rejects with SignedOutError, OfflineError, or fetch's TypeError
   */
  async fetch(path, init = {}) {
    const token = await this.token();
    const response = await this.#send(path, init, token);
    if (response.status !== 401) return response;
    return this.#send(path, init, await this.token({ replacing: token }));
  }

  /**
   * Signs in with a user name and password (the development issuer; 404 when it is off).
   * @param {string} username @param {string} password
   * @returns {Promise<User>} rejects with AuthError or OfflineError
   */
  async login(username, password) {
    const response = await this.#cookieCall('login', { username, password });
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      throw new AuthError(response.status, body.code ?? `http-${response.status}`, body.error ?? response.statusText);
    }
    this.#signedOut = false;
    this.#accept(await response.json());
    return /** @type {User} */ (this.#pageUser);
  }

  /**
   * Signs out: the server revokes the refresh cookie and this page's access token. Needs the
   * network (a sign-out the server never heard of would leave the cookie valid): rejects with
   * OfflineError otherwise, and then nothing changed.
   */
  async logout() {
    const response = await this.#cookieCall('logout', undefined, this.#token);
    // 401: the server had already signed us out, which is what was asked.
    if (!response.ok && response.status !== 401) {
      throw new OfflineError(`the server answered ${response.status} to signing out`);
    }
    this.#forget();
    this.#signedOut = true;
    this.#storage.removeItem(USER_KEY);
  }

  /** Stops the refresh timer (the page is going away). */
  stop() {
    this.#clearTimer(this.#timer);
    this.#timer = null;
  }

  // ---------------------------------------------------------------------------------------------

  async #refreshNow() {
    // Every tab of this browser shares the cookie, and each refresh token is good once: two tabs
    // refreshing at the same moment would both send the same cookie, and the loser would be
    // signed out (with the cookie cleared for both). Web Locks make them take turns; the second
    // then sends the cookie the first one got back.
    const response = await this.#cookieCall('refresh');
    if (response.status === 401) {
      this.#signOut(false);
      throw new SignedOutError();
    }
    if (!response.ok) throw new OfflineError(`the server answered ${response.status} to a token refresh`);
    const body = await response.json();
    if (this.#pageUser && body.user?.id !== this.#pageUser.id) {
      // Someone signed in as another user in another tab: this page holds the first one's
      // edits and must not send them under the second one's name.
      this.#signOut(true);
      throw new SignedOutError(true);
    }
    this.#accept(body);
    return /** @type {string} */ (this.#token);
  }

  /**
   * A cookie call: POST /api/auth/<name> with the CSRF header.
   * @param {string} name @param {object} [body] @param {string | null} [bearer]
   */
  async #cookieCall(name, body, bearer = null) {
    /** @type {Record<string, string>} */
    const headers = { ...CSRF, Accept: 'application/json' };
    if (body) headers['Content-Type'] = 'application/json';
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    try {
      return await this.#fetch(`${this.#root}/api/auth/${name}`, {
        method: 'POST',
        headers,
        body: body ? JSON.stringify(body) : undefined,
        credentials: 'same-origin',
        cache: 'no-store',
        // Outlives the page: a refresh cut off by a navigation may still reach the server, which
        // then revokes the cookie this browser sent; the new cookie must reach the browser too, or
        // the next page presents the old one, which the server takes for a stolen token's reuse.
        keepalive: true,
        signal: typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(REFRESH_TIMEOUT_MS) : undefined,
      });
    } catch (e) {
      throw new OfflineError(`the server cannot be reached (${/** @type {Error} */ (e).message})`);
    }
  }

  /** @param {string} path @param {RequestInit} init @param {string} token */
  #send(path, init, token) {
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${token}`);
    if (!headers.has('Accept')) headers.set('Accept', 'application/json');
    return this.#fetch(`${this.#root}${path}`, { ...init, headers, credentials: 'same-origin', cache: 'no-store' });
  }

  /** A login or refresh answer: the token in memory, the user kept, the next refresh planned. @param {SignedInBody} body */
  #accept(body) {
    const receivedAt = this.#now();
    const life = tokenLife(body.accessToken, body.expiresAt, receivedAt);
    this.#token = body.accessToken;
    // A few seconds short of expiry (at most a tenth of the life): a token sent then still works
    // when it arrives.
    this.#validUntil = receivedAt + life - Math.min(5000, life / 10);
    const user = { id: String(body.user.id), name: String(body.user.name), groups: [...(body.user.groups ?? [])] };
    this.#storage.setItem(USER_KEY, JSON.stringify(user));
    this.#pageUser = user;
    this.#clearTimer(this.#timer);
    this.#timer = this.#setTimer(() => {
      this.#timer = null;
      // Offline or failing: the next caller of token() tries again.
      this.refresh().catch((e) => console.info('token refresh failed:', e.message));
    }, life * REFRESH_AT);
    this.dispatchEvent(new CustomEvent('token', { detail: { token: this.#token } }));
  }

  /** @param {boolean} userChanged */
  #signOut(userChanged) {
    if (this.#signedOut) return;
    this.#signedOut = true;
    this.#forget();
    this.dispatchEvent(new CustomEvent('signed-out', { detail: { userChanged } }));
  }

  #forget() {
    this.#token = null;
    this.#validUntil = 0;
    this.stop();
  }
}

/**
 * How long a token lives, in milliseconds. From its own `iat` and `exp` when it is a readable JWT:
 * their difference does not depend on this computer's clock agreeing with the server's, which
 * `expiresAt` (the server's clock) does.
 * @param {string} token @param {number} expiresAt @param {number} now
 */
export function tokenLife(token, expiresAt, now) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const { iat, exp } = JSON.parse(atob(payload));
    if (Number.isFinite(iat) && Number.isFinite(exp) && exp > iat) return (exp - iat) * 1000;
  } catch {
    // not a JWT we can read: the server's expiry, as this clock sees it
  }
  return Math.max(1000, expiresAt - now);
}

/**
 * Where to go after signing in: `next` if it is a path of this origin, else the start page. A
 * path that a browser would read as another host is refused too: "//evil.example",
 * "/\evil.example" (browsers take a backslash for a slash), and tabs or newlines, which URL
 * parsing drops ("/\t/evil.example").
 * @param {string | null | undefined} next
 * @param {string} origin this page's origin, e.g. 'https://folio.example'
 * @param {string} fallback e.g. '/'
 */
export function safeNextPath(next, origin, fallback) {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//')) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return fallback;
  try {
    const url = new URL(next, origin);
    return url.origin === origin ? url.pathname + url.search + url.hash : fallback;
  } catch {
    return fallback;
  }
}
