// The browser side of the harness: Debian's Chromium driven by playwright-core, one browser per
// test file, one browser context per person (so two people share nothing: no IndexedDB, no
// localStorage, no cookies), each signed in as one of the demo users, screenshots into
// FOLIO_ARTIFACTS, and on failure a screenshot of every page plus what its console said, so that
// a red run tells what the page did. Every scenario also fails if a page broke its
// Content-Security-Policy (an inline script or style, eval): Chromium says so on the console.

import { after, test } from 'node:test';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { baseUrl } from './api.mjs';

/** @typedef {import('playwright-core').Browser} Browser */
/** @typedef {import('playwright-core').BrowserContext} BrowserContext */
/** @typedef {import('playwright-core').Page} Page */

const here = path.dirname(fileURLToPath(import.meta.url));

/** Debian's package: the tests never download a browser of their own. */
export const chromiumPath = process.env.FOLIO_CHROMIUM ?? '/usr/bin/chromium';

/** Screenshots land here (BrowserEditorIT: server-config/target/e2e-artifacts). */
export const artifacts = path.resolve(process.env.FOLIO_ARTIFACTS ?? path.join(here, '..', 'target', 'e2e-artifacts'));

// Headless without a sandbox (CI runs as root), and nothing that talks to Google's servers.
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** @type {Promise<Browser> | undefined} */
let shared;

/**
 * The file's browser, launched on first use and closed when the file's tests are done.
 * @returns {Promise<Browser>}
 */
export function browser() {
  shared ??= chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, timeout: 30_000 });
  return shared;
}

after(async () => {
  if (shared) {
    await (await shared).close();
  }
});

/**
 * Saves a PNG of the page into the artifacts folder and returns its path.
 * @param {Page} page
 * @param {string} file e.g. "two-carets-a.png"
 * @returns {Promise<string>}
 */
export async function screenshot(page, file) {
  await mkdir(artifacts, { recursive: true });
  const target = path.join(artifacts, file);
  await page.screenshot({ path: target, fullPage: true });
  return target;
}

/**
 * Signs a browser context in as a demo user through its request context, which shares the
 * context's cookie jar: the pages then get their tokens from the refresh cookie, as after a
 * sign-in through the page.
 * @param {BrowserContext} context
 * @param {string} user
 */
export async function signIn(context, user) {
  const response = await context.request.post('/api/auth/login', {
    headers: { 'X-Folio-CSRF': '1' },
    data: { username: user, password: user },
  });
  if (response.status() !== 200) {
    throw new Error(`sign in as ${user}: HTTP ${response.status()} ${await response.text()}`);
  }
  const cookies = await context.cookies(`${baseUrl}/api/auth/refresh`);
  if (!cookies.some((cookie) => cookie.name === 'folio_refresh')) {
    throw new Error(
      `sign in as ${user}: no folio_refresh cookie for ${baseUrl}/api/auth (got ${JSON.stringify(cookies)})`,
    );
  }
}

/**
 * Signs in on the sign-in page `page` was sent to (or is on), and waits until it has left it.
 * @param {Page} page
 * @param {string} user a demo user (the password is the user name)
 */
export async function signInOnPage(page, user) {
  await page.waitForURL(/\/signin\.html/);
  await page.locator('#signin input[name="username"]').fill(user);
  await page.locator('#signin input[name="password"]').fill(user);
  await page.locator('#signin [type="submit"]').click();
  await page.waitForURL((url) => !url.pathname.endsWith('/signin.html'));
}

/** A person: one browser context, with the pages they opened and what those pages logged. */
export class Person {
  /**
   * @param {string} name who they are in the test's messages and file names
   * @param {BrowserContext} context
   * @param {string} user the demo user they sign in as: the name the pages show
   */
  constructor(name, context, user) {
    this.name = name;
    this.context = context;
    this.user = user;
    /** @type {Page[]} */
    this.pages = [];
    /** @type {string[]} console output and uncaught errors of this person's pages */
    this.log = [];
    /** @type {string[]} what Chromium said about Content-Security-Policy violations */
    this.cspViolations = [];
  }

  /**
   * A new tab, whose console is recorded.
   * @returns {Promise<Page>}
   */
  async newPage() {
    const page = await this.context.newPage();
    const tab = this.pages.length + 1;
    this.pages.push(page);
    page.on('console', (message) => {
      this.note(`tab ${tab} console.${message.type()}: ${message.text()}`);
      if (/Content Security Policy/i.test(message.text())) {
        this.cspViolations.push(`tab ${tab}: ${message.text()}`);
      }
    });
    page.on('pageerror', (error) => this.note(`tab ${tab} uncaught: ${error.stack ?? error.message}`));
    page.on('crash', () => this.note(`tab ${tab} crashed`));
    // The console names no URL for a failed load; this does.
    page.on('response', (response) => {
      if (response.status() >= 400) {
        this.note(`tab ${tab} HTTP ${response.status()} ${response.request().method()} ${response.url()}`);
      }
    });
    return page;
  }

  /** @param {string} line */
  note(line) {
    // Bounded: a page that logs on every frame must not eat the report.
    if (this.log.length < 400) {
      this.log.push(line);
    }
  }

  /**
   * Like the network cable: new requests fail, open WebSockets stall, `offline` fires in the page.
   * @param {boolean} offline
   */
  async setOffline(offline) {
    await this.context.setOffline(offline);
  }
}

/** What one test sets up: its people, cleaned up after it, and pictured when it fails. */
export class Stage {
  /** @param {string} slug file-name-safe name of the test */
  constructor(slug) {
    this.slug = slug;
    /** @type {Person[]} */
    this.people = [];
  }

  /**
   * A person with their own browser context (their own IndexedDB, localStorage and cookies),
   * signed in as `user` unless `signedIn` is false.
   * @param {string} name
   * @param {{user?: string, signedIn?: boolean}} [options]
   * @returns {Promise<Person>}
   */
  async person(name, { user = 'editor', signedIn = true } = {}) {
    const context = await (
      await browser()
    ).newContext({
      baseURL: baseUrl,
      viewport: { width: 1100, height: 700 },
    });
    // Keeps a hung page from holding a test until its timeout: every wait says what it waited for.
    context.setDefaultTimeout(15_000);
    const person = new Person(name, context, user);
    this.people.push(person);
    if (signedIn) {
      await signIn(context, user);
    }
    return person;
  }

  /** @returns {string[]} every Content-Security-Policy violation the pages reported */
  cspViolations() {
    return this.people.flatMap((person) => person.cspViolations.map((line) => `${person.name}'s ${line}`));
  }

  /** Screenshots of every open page, named after the test and the person. */
  async captureFailure() {
    for (const person of this.people) {
      for (const [index, page] of person.pages.entries()) {
        if (!page.isClosed()) {
          await screenshot(page, `failed-${this.slug}-${person.name}-${index + 1}.png`).catch(() => {});
        }
      }
    }
  }

  /** @returns {string} every page's console, person by person */
  logs() {
    return this.people
      .filter((person) => person.log.length > 0)
      .map((person) => `\n--- ${person.name}'s pages:\n${person.log.join('\n')}`)
      .join('');
  }

  async close() {
    for (const person of this.people) {
      await person.context.close().catch(() => {});
    }
  }
}

/**
 * A browser test: `body` gets a fresh Stage; on failure the error carries the pages' console
 * output and every page is saved as failed-<test>-<person>-<tab>.png in the artifacts folder.
 * @param {string} name
 * @param {(stage: Stage) => Promise<void>} body
 * @param {{timeout?: number}} [options]
 */
export function scenario(name, body, { timeout = 60_000 } = {}) {
  test(name, { timeout }, async () => {
    const stage = new Stage(
      name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, ''),
    );
    try {
      await body(stage);
      const violations = stage.cspViolations();
      if (violations.length > 0) {
        throw new Error(`the pages broke their Content-Security-Policy:\n${violations.join('\n')}`);
      }
    } catch (error) {
      await stage.captureFailure();
      if (error instanceof Error) {
        // The reporter prints the stack, which may already hold the message as it was.
        const logs = stage.logs();
        const { message } = error;
        const stack = error.stack ?? '';
        error.message += logs;
        error.stack = stack.includes(message) ? stack.replace(message, error.message) : `${stack}${logs}`;
      }
      throw error;
    } finally {
      await stage.close();
    }
  });
}
