import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { track } from './servers.js';

/** Where Debian's chromium lives; override with CHROMIUM_PATH. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

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

/** Launches headless Chromium with the flags this environment needs; closed after the test. */
export async function launchBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  track(() => browser.close());
  return browser;
}
