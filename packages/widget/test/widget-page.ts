import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { axeViolations } from '../../../test-support/browser.js';
import { startWidgetSite } from '../../../test-support/widget-site.js';
import type { ChatServerOptions } from '@chat/server';

// What the core widget suites (widget.e2e.test.ts, interruptions.e2e.test.ts) do on a page: the
// composer, the log, the events the page recorded, contrast and the accessibility tree.

/** Where the screenshots go (not tracked). */
export const artifacts = fileURLToPath(new URL('../../../artifacts/screenshots/', import.meta.url));

/** A host page with the widget in a 320 px sidebar, next to a chat server started with `options`. */
export const startSite = (options: ChatServerOptions = {}) => startWidgetSite(options, {});

/** The widget on `page`. */
export const widget = (page: Page) => page.locator('chat-room');
/** axe-core (WCAG 2.1 A and AA) finds nothing in the widget as it is now, the state named by `state`. */
export async function expectAccessible(page: Page, state: string) {
  expect(await axeViolations(page), `axe-core in state: ${state}`).toEqual([]);
}
/** The composer's text box, in English or Spanish. */
export const textarea = (page: Page) => page.getByRole('textbox', { name: /Message|Mensaje/u });
/** The text of each message in the log, in order. */
export const messages = (page: Page) => page.locator('chat-room .message .text').allTextContents();
/** Types `text` into the composer and sends it with Enter. */
export async function send(page: Page, text: string) {
  await textarea(page).fill(text);
  await textarea(page).press('Enter');
}
/** The codes of the `chat-error` events the page has fired, in order. */
export const errorCodes = (page: Page) =>
  page.evaluate(() =>
    (window as unknown as { events: Array<[string, { error?: { code: string } }]> }).events
      .filter(([t]) => t === 'chat-error')
      .map(([, d]) => d.error?.code),
  );

/** Contrast of text against the background behind it, for the first element of each selector in the widget. */
export function contrastRatios(page: Page, selectors: Record<string, string>): Promise<Record<string, number>> {
  return page.evaluate((selectors) => {
    const root = document.querySelector('chat-room')!.shadowRoot!;
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const lum = (c: string) => {
      const [r, g, b] = rgb(c).map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const bgOf = (el: Element | null): string => {
      for (let e = el; e; e = e.parentElement ?? (e.getRootNode() as ShadowRoot).host ?? null) {
        const bg = getComputedStyle(e).backgroundColor;
        if (bg && !bg.startsWith('rgba(0, 0, 0, 0)') && bg !== 'transparent') return bg;
      }
      return 'rgb(255, 255, 255)';
    };
    const ratio = (sel: string) => {
      const el = root.querySelector(sel);
      if (!el) throw new Error(`No ${sel} in the widget`);
      const [a, b] = [lum(getComputedStyle(el).color), lum(bgOf(el))];
      return Math.round(((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)) * 100) / 100;
    };
    return Object.fromEntries(Object.entries(selectors).map(([what, sel]) => [what, ratio(sel)]));
  }, selectors);
}

/** A node of Chromium's accessibility tree, as the DevTools protocol gives it. */
export interface AXNode {
  nodeId?: string;
  childIds?: string[];
  role?: { value?: string };
  name?: { value?: string };
  description?: { value?: string };
  properties?: Array<{ name: string; value: { value?: unknown } }>;
  ignored?: boolean;
}

/** Every node of the page's accessibility tree, ignored ones included, from the DevTools protocol. */
export async function fullAccessibilityTree(page: Page): Promise<AXNode[]> {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
  await cdp.detach();
  return nodes;
}

/** What a screen reader gets from Chromium: the page's accessibility tree, without ignored nodes. */
export async function accessibilityTree(page: Page): Promise<AXNode[]> {
  return (await fullAccessibilityTree(page)).filter((n) => !n.ignored);
}
