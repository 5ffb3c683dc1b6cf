import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import type { AxeResults } from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach, expect } from 'vitest';
import { track } from './tracked.js';

/** Where Debian's chromium lives; override with CHROMIUM_PATH. */
const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

let told = false;
/** True when the browser suites must skip; says once how to run them. */
export function skipWithoutChromium(): boolean {
  if (existsSync(CHROMIUM_PATH)) return false;
  if (!told) {
    told = true;
    console.log(`Browser suites skipped: no Chromium at ${CHROMIUM_PATH}. Install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  }
  return true;
}

/** Options of {@link launchBrowser}. */
export interface LaunchOptions {
  /**
   * Fake camera and microphone, granted without asking, and media that plays without a click:
   * for calls (WebRTC) between pages. Host candidates are plain addresses (not mDNS names).
   * @default false
   */
  fakeMedia?: boolean;
}

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const MEDIA_FLAGS = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
];

/**
 * The Chromium processes of this test file, one per set of flags. Launching one costs one to
 * three seconds on a loaded runner, so a file launches it once; each test still gets contexts of
 * its own (their own cookies, storage, service workers, permissions), closed after it.
 */
const processes = new Map<string, Promise<Browser>>();

afterAll(async () => {
  const running = [...processes.values()];
  processes.clear();
  for (const launching of running) await (await launching.catch(() => undefined))?.close();
});

function chromiumProcess(fakeMedia: boolean): Promise<Browser> {
  const key = fakeMedia ? 'media' : 'plain';
  const launching = processes.get(key);
  if (launching) {
    return launching.then((browser) => {
      if (browser.isConnected()) return browser;
      processes.delete(key); // it crashed or was closed: the next test gets a new one
      return chromiumProcess(fakeMedia);
    });
  }
  const started = chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: fakeMedia ? [...FLAGS, ...MEDIA_FLAGS] : FLAGS });
  processes.set(key, started);
  started.catch(() => processes.delete(key));
  return started;
}

/**
 * Headless Chromium with the flags this environment needs, for the running test. The process is
 * shared by the tests of one file (see {@link processes}); what this returns is the test's own
 * part of it: the contexts it makes through it are closed after the test, and so is every one
 * when the test calls `close()`. A test cannot see another's pages, storage or errors.
 */
export async function launchBrowser(options: LaunchOptions = {}): Promise<Browser> {
  const browser = await chromiumProcess(options.fakeMedia ?? false);
  const contexts = new Set<BrowserContext>();
  const closeContexts = async () => {
    const open = [...contexts];
    contexts.clear();
    await Promise.all(open.map((context) => context.close().catch(() => undefined)));
  };
  track(closeContexts);
  // Every page of every context reports to the test that is running when the page is made.
  const newContext = async (...args: Parameters<Browser['newContext']>): Promise<BrowserContext> => {
    const context = await browser.newContext(...args);
    contexts.add(context);
    context.on('close', () => contexts.delete(context));
    context.on('page', watchPage);
    return context;
  };
  const own: Partial<Browser> = {
    newContext,
    newPage: async (...args: Parameters<Browser['newPage']>) => (await newContext(...args)).newPage(),
    contexts: () => [...contexts],
    close: closeContexts,
  };
  return new Proxy(browser, {
    get(target, key) {
      if (Object.hasOwn(own, key)) return own[key as keyof Browser];
      const value: unknown = Reflect.get(target, key);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** What went wrong in the pages of the running test: uncaught errors and `console.error` lines. */
let pageErrors: string[] = [];

function watchPage(page: Page): void {
  // Kept per page: an error a page throws after its test ended never lands on the next test.
  const errors = pageErrors;
  page.on('pageerror', (error) => errors.push(`${page.url()}: uncaught ${error.stack ?? String(error)}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location().url;
    // The browser asks every host for /favicon.ico by itself; a 404 there is not the page's fault.
    if (where.endsWith('/favicon.ico')) return;
    // A long-polling request in flight when the server ends the session (a sign-out at expiry, a
    // kick) is answered 400 "session ID unknown"; Socket.IO reconnects, and the browser logs the
    // failed request itself. The test's own assertions say whether the page coped.
    if (/\/socket\.io\/\?.*transport=polling.*&sid=/u.test(where) && message.text().includes('status of 400')) return;
    // A test that takes the browser offline on purpose (context.setOffline) makes every request
    // fail with this; the test's assertions say whether the page coped.
    if (message.text().includes('net::ERR_INTERNET_DISCONNECTED')) return;
    errors.push(`${page.url()}: console.error ${message.text()} (${where})`);
  });
}

// A browser test fails when one of its own pages threw or logged an error, even if every
// assertion passed (runs before servers.ts closes the browser: hooks run newest first).
afterEach(() => {
  const errors = pageErrors;
  pageErrors = [];
  expect(errors, 'errors in the pages of this test').toEqual([]);
});

/** The WCAG 2.1 A and AA rules of axe-core: the accessibility bar of the widget's browser tests. */
const AXE_WCAG21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * Runs axe-core (WCAG 2.1 A and AA) on the first element matching `selector`, open shadow
 * roots included, and returns its violations as readable lines (empty when there are none):
 * `rule (impact): help | target: what failed`.
 * @example expect(await axeViolations(page), 'joined').toEqual([]);
 */
export async function axeViolations(page: Page, selector = 'chat-room'): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: axePath });
  const violations = await page.evaluate(
    async ({ selector, tags }) => {
      const axe = (window as unknown as { axe: { run(context: Element, options: object): Promise<AxeResults> } }).axe;
      const root = document.querySelector(selector);
      if (!root) throw new Error(`No ${selector} on the page`);
      const results = await axe.run(root, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return results.violations.map((v) => ({
        rule: `${v.id} (${v.impact ?? 'unknown'}): ${v.help}`,
        nodes: v.nodes.map((n) => `${JSON.stringify(n.target)}: ${n.failureSummary?.replace(/\s+/gu, ' ') ?? ''}`),
      }));
    },
    { selector, tags: AXE_WCAG21_AA },
  );
  return violations.flatMap((v) => v.nodes.map((n) => `${v.rule} | ${n}`));
}

/**
 * The scripts a page has fetched, by path, in order: which of the widget's files it loaded, but the
 * chunks every page fetches up front (chat-room.away.js, the SDK's auto-away; chat-room.conversations.js,
 * its list of conversations; chat-room.outbox.js, the rows of its outbox in IndexedDB;
 * chat-room.message-tools.js, a message's actions, fetched as the first messages are drawn; their
 * own tests check them), whose time against a feature's chunk is a race.
 */
export async function fetchedScripts(page: Page): Promise<string[]> {
  const paths = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  return paths.filter((p) => p.endsWith('.js') && !/\/chat-room\.(away|conversations|outbox|message-tools)\.js$/u.test(p));
}

const ARTIFACTS = fileURLToPath(new URL('../artifacts/screenshots/', import.meta.url));
const DOCS_IMAGES = fileURLToPath(new URL('../docs/images/', import.meta.url));

/**
 * Takes a screenshot of `locator` into artifacts/screenshots/`name`.png (not tracked). One the
 * documentation shows (`docs: true`) is copied into docs/images/ only when DOCS_IMAGES=1: a plain
 * test run never writes a tracked file (docs/testing.md, "Screenshots").
 */
export async function screenshot(locator: Locator, name: string, options: { docs?: boolean } = {}): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await locator.screenshot({ path: `${ARTIFACTS}${name}.png` });
  if (options.docs && process.env['DOCS_IMAGES'] === '1') copyFileSync(`${ARTIFACTS}${name}.png`, `${DOCS_IMAGES}${name}.png`);
}

/** Records the object URLs the page revokes (read them with {@link revoked}). */
export const watchRevoked = (page: Page): Promise<void> =>
  page.evaluate(() => {
    const w = window as unknown as { revoked: string[] };
    w.revoked = [];
    const revoke = URL.revokeObjectURL.bind(URL);
    URL.revokeObjectURL = (url: string) => {
      w.revoked.push(url);
      revoke(url);
    };
  });

/** The object URLs the page revoked since {@link watchRevoked}. */
export const revoked = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { revoked: string[] }).revoked);
