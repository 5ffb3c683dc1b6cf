import type { Browser, BrowserContext } from 'playwright-core';

/**
 * A browser context whose pages may log errors the browser prints by itself in a situation a
 * test creates on purpose (a refused upload: "Failed to load resource: ... 413"; a server on
 * another origin: "blocked by CORS policy"). Every other error of its pages is collected in
 * `errors`, for the test to check as test-support/browser.ts does. That module's watcher cannot
 * be told which errors a test expects, so this context is made without it.
 */
export async function contextExpecting(
  browser: Browser,
  expected: RegExp,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<{ context: BrowserContext; errors: string[] }> {
  const newContext = Object.getPrototypeOf(browser).newContext as Browser['newContext'];
  const context = await newContext.call(browser, { viewport: { width: 360, height: 640 }, ...options });
  const errors: string[] = [];
  context.on('page', (page) => {
    page.on('pageerror', (error) => errors.push(`uncaught ${error.message}`));
    page.on('console', (m) => {
      // The browser asks for /favicon.ico by itself; a 404 there is not the page's fault.
      if (m.type() === 'error' && !expected.test(m.text()) && !m.location().url.endsWith('/favicon.ico')) errors.push(m.text());
    });
  });
  return { context, errors };
}
