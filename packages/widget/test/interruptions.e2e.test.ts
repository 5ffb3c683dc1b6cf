import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { jwtAuthenticate } from '@chat/server';
import { skipWithoutChromium } from '../../../test-support/browser.js';
import { startChat } from '../../../test-support/servers.js';
import {
  artifacts,
  contrastRatios,
  errorCodes,
  expectAccessible,
  fullAccessibilityTree,
  messages,
  send,
  startSite,
  textarea,
  widget,
  type AXNode,
} from './widget-page.js';

// What interrupts a widget's session, in Chromium: the server takes the user out, messages go
// missing for good, the history starts over, the sign-in expires. Split from widget.e2e.test.ts
// so that the two run side by side.

describe.skipIf(skipWithoutChromium())(
  '<chat-room> in Chromium: removal, missing messages, history reset, expired sign-in',
  { timeout: 60_000 },
  () => {
    /** The text of each alert a screen reader gets from Chromium (an alert's text is in its descendants). */
    const alerts = async (page: Page) => {
      const nodes = await fullAccessibilityTree(page);
      const byId = new Map(nodes.map((n) => [n.nodeId, n]));
      const text = (n: AXNode | undefined): string =>
        !n ? '' : n.role?.value === 'StaticText' ? (n.name?.value ?? '') : (n.childIds ?? []).map((id) => text(byId.get(id))).join('');
      return nodes
        .filter((n) => !n.ignored && n.role?.value === 'alert')
        .map(text)
        .filter((t) => t !== '');
    };
    const bannerText = (page: Page) => page.locator('chat-room [part=banner]').textContent();
    /** The log as it reads: messages, and notices in brackets. */
    const logLines = (page: Page) =>
      page
        .locator('chat-room [role=log] .message .text, chat-room [role=log] .notice')
        .evaluateAll((els) => els.map((el) => (el.classList.contains('notice') ? `[${el.textContent}]` : el.textContent)));

    for (const [lang, theme, text] of [
      ['en', 'light', 'You no longer have access to this room.'],
      ['es', 'dark', 'Ya no tienes acceso a esta sala.'],
    ] as const) {
      it(`says plainly when the server takes the user out of the room, and disables the composer (${lang}, ${theme})`, async () => {
        mkdirSync(artifacts, { recursive: true });
        const { open, chat } = await startSite();
        await chat.createRoom({ id: 'cita-42', title: 'Cita 42', createdBy: 'host-user' });
        await chat.sendMessage('cita-42', { user: { id: 'host-user', name: 'Dr. Ruiz' }, text: 'Welcome, see you at 10.' });
        const page = await open({ room: 'cita-42', name: 'Ana', lang, theme });
        await expect.poll(() => messages(page)).toEqual(['Welcome, see you at 10.']);
        await textarea(page).focus();
        await chat.updateRoom('cita-42', { options: { private: true } });
        await expect.poll(() => bannerText(page)).toBe(text);
        // A screen reader hears it at once (an alert), and the composer cannot be used.
        expect(await alerts(page)).toEqual([text]);
        expect(await textarea(page).isDisabled()).toBe(true);
        expect(
          await widget(page)
            .getByRole('button', { name: lang === 'es' ? 'Enviar' : 'Send' })
            .isDisabled(),
        ).toBe(true);
        expect(await messages(page)).toEqual(['Welcome, see you at 10.']);
        const ratios = await contrastRatios(page, { banner: '[part=banner]' });
        expect(ratios.banner, `${theme} banner`).toBeGreaterThanOrEqual(4.5);
        await expectAccessible(page, `removed from the room (${lang}, ${theme})`);
        await widget(page).screenshot({ path: `${artifacts}widget-removed-${theme}.png` });
        // Focus was in the text box: it moves to the log, so the keyboard stays in the widget.
        const focusedRole = () => page.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.activeElement?.getAttribute('role'));
        await expect.poll(focusedRole).toBe('log');
        await page.keyboard.press('Shift+Tab'); // back to the people toggle, which now counts nobody: the user is out
        expect(await page.evaluate(() => document.querySelector('chat-room')?.shadowRoot?.activeElement?.textContent?.trim())).toBe(
          lang === 'es' ? '0 personas' : '0 here',
        );
        const errors = await errorCodes(page);
        expect(errors).toEqual(['FORBIDDEN']);
      });
    }

    for (const [lang, theme, text] of [
      ['en', 'light', 'Some messages could not be loaded.'],
      ['es', 'dark', 'No se pudieron cargar algunos mensajes.'],
    ] as const) {
      it(`marks the place where messages are missing for good (${lang}, ${theme})`, async () => {
        mkdirSync(artifacts, { recursive: true });
        const { open, chat } = await startSite();
        await chat.createRoom({ id: 'call', title: 'Call', options: { ephemeral: true } });
        const page = await open({ room: 'call', name: 'Ana', lang, theme });
        await expect.poll(() => widget(page).getByRole('log').count()).toBe(1);
        await expect.poll(async () => (await chat.io.in('call').fetchSockets()).length).toBe(1);
        await chat.sendMessage('call', { user: { id: 'luis', name: 'Luis' }, text: 'Can you hear me?' });
        await expect.poll(() => messages(page)).toEqual(['Can you hear me?']);
        // Ephemeral rooms keep nothing: what is said while the widget is away is gone.
        chat.io.disconnectSockets(true);
        await chat.sendMessage('call', { user: { id: 'luis', name: 'Luis' }, text: 'said while away' });
        await expect.poll(async () => (await chat.io.in('call').fetchSockets()).length, { timeout: 10_000 }).toBe(1);
        await chat.sendMessage('call', { user: { id: 'luis', name: 'Luis' }, text: 'Back? You missed a bit.' });
        await expect.poll(() => logLines(page), { timeout: 10_000 }).toEqual(expect.arrayContaining([`[${text}]`]));
        const lines = await logLines(page);
        expect(lines.slice(lines.indexOf('Can you hear me?'))).toEqual(['Can you hear me?', `[${text}]`, 'Back? You missed a bit.']);
        const ratios = await contrastRatios(page, { gap: '.notice.break' });
        expect(ratios.gap, `${theme} gap line`).toBeGreaterThanOrEqual(4.5);
        await expectAccessible(page, `a gap in the log (${lang}, ${theme})`);
        await widget(page).screenshot({ path: `${artifacts}widget-gap-${theme}.png` });
      });
    }

    it('starts the log over when the server history of the room starts over', async () => {
      mkdirSync(artifacts, { recursive: true });
      const site = await startSite();
      const page = await site.open({ room: 'demo', name: 'Ana' });
      await send(page, 'old 1');
      await send(page, 'old 2');
      await expect.poll(() => messages(page)).toEqual(['old 1', 'old 2']);
      // The server restarts on a memory store: the room's history starts again at seq 1.
      await site.chat.close();
      site.http.closeAllConnections();
      await new Promise<void>((resolve) => site.http.close(() => resolve()));
      const http = createServer();
      await new Promise<void>((resolve) => http.listen(site.port, '127.0.0.1', resolve));
      const second = await startChat({}, http);
      await second.chat.sendMessage('demo', { user: { id: 'luis', name: 'Luis' }, text: 'new 1' });
      const text = 'The chat history was reset on the server. Earlier messages are no longer available.';
      await expect
        .poll(() => logLines(page), { timeout: 15_000 })
        .toEqual(['[This is the beginning of the conversation.]', `[${text}]`, '[Today]', 'new 1']);
      await send(page, 'new 2');
      await expect.poll(() => messages(page)).toEqual(['new 1', 'new 2']);
      await expectAccessible(page, 'after a history reset');
      await widget(page).screenshot({ path: `${artifacts}widget-history-reset-light.png` });
    });

    const secret = 'a-test-secret-that-is-long-enough-for-hs256';
    /** A JWT for Ana that expires `seconds` from now. */
    const token = (seconds: number) =>
      new SignJWT({ name: 'Ana' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('ana')
        .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
        .sign(new TextEncoder().encode(secret));
    const authenticate = jwtAuthenticate({ secret, algorithms: ['HS256'], clockTolerance: 0 });

    /**
     * A widget that signs in with a token expiring in 15 s; it sends "before". (8 s was too short
     * on a loaded CI runner: opening three pages at once, "before" was sent after the expiry.)
     */
    const signInBriefly = async (params: Record<string, string> = {}) => {
      const site = await startSite({ authenticate });
      let connections = 0;
      site.chat.io.on('connection', () => connections++);
      // Long enough for a loaded machine to open the page and send before it expires.
      const page = await site.open({ room: 'r', token: await token(15), ...params });
      await send(page, 'before');
      await expect.poll(() => messages(page)).toEqual(['before']);
      return { page, connections: () => connections };
    };

    /** The banner says the sign-in expired; a fresh token attribute signs the same widget in again. */
    const expiresThenFreshAttribute = async (lang: 'en' | 'es', theme: 'light' | 'dark', text: string) => {
      const { page, connections } = await signInBriefly({ lang, theme });
      await expect.poll(() => bannerText(page), { timeout: 30_000 }).toBe(text);
      expect(await alerts(page)).toEqual([text]);
      expect(await textarea(page).isDisabled()).toBe(true);
      const ratios = await contrastRatios(page, { banner: '[part=banner]' });
      expect(ratios.banner, `${theme} banner`).toBeGreaterThanOrEqual(4.5);
      await expectAccessible(page, `signed out (${lang}, ${theme})`);
      await widget(page).screenshot({ path: `${artifacts}widget-signed-out-${theme}.png` });

      const fresh = await token(3600);
      await widget(page).evaluate((el, t) => el.setAttribute('token', t), fresh);
      await expect.poll(() => page.locator('chat-room [part=banner]').count(), { timeout: 10_000 }).toBe(0);
      expect(await textarea(page).isDisabled()).toBe(false);
      await send(page, 'after');
      await expect.poll(() => messages(page)).toEqual(['before', 'after']);
      // The widget kept its client: one connection for the first token, one after the sign-out.
      expect(connections(), `${lang} connections`).toBe(2);
      const errors = await errorCodes(page);
      expect(new Set(errors)).toEqual(new Set(['UNAUTHENTICATED']));
    };

    /** A refreshToken given by the page after load signs the widget in again when the token expires. */
    const expiresThenRefreshToken = async () => {
      const fresh = await token(3600);
      const { page, connections } = await signInBriefly();
      // The page's function: here it hands over a token the test made (a real page would fetch one).
      await page.exposeFunction('fetchChatToken', () => fresh);
      await widget(page).evaluate((el) => {
        (el as HTMLElement & { refreshToken: () => Promise<string> }).refreshToken = () =>
          (window as unknown as { fetchChatToken: () => Promise<string> }).fetchChatToken();
      });
      // The first token expires and the server signs the connection out; the widget signs in again.
      await expect.poll(connections, { timeout: 30_000 }).toBe(2);
      await expect.poll(() => page.locator('chat-room [part=banner]').count(), { timeout: 10_000 }).toBe(0);
      await send(page, 'after');
      await expect.poll(() => messages(page)).toEqual(['before', 'after']);
      expect(await alerts(page)).toEqual([]);
    };

    // The three widgets, each on a server of its own, wait for their tokens to expire at the same
    // time: one wait of 15 s for the test, not three.
    it('says when the sign-in expired, and a fresh token attribute (en, light; es, dark) or a refreshToken given after load signs the same widget in again', async () => {
      mkdirSync(artifacts, { recursive: true });
      const results = await Promise.allSettled([
        expiresThenFreshAttribute('en', 'light', 'Your sign-in has expired. Sign in again to keep chatting.'),
        expiresThenFreshAttribute('es', 'dark', 'Tu sesión ha caducado. Vuelve a iniciar sesión para seguir chateando.'),
        expiresThenRefreshToken(),
      ]);
      for (const result of results) if (result.status === 'rejected') throw result.reason;
    });

    it('passes axe-core at 280 px with the people list open, in the dark theme', async () => {
      const { open } = await startSite();
      await open({ room: 'narrow', name: 'Luis' });
      const page = await open({ room: 'narrow', name: 'Ana', theme: 'dark' }, 280);
      await widget(page).getByRole('button', { name: '2 here' }).click();
      await expect.poll(() => page.locator('chat-room #members li').count()).toBe(2);
      await send(page, 'narrow but usable');
      await expect.poll(() => messages(page)).toEqual(['narrow but usable']);
      await expectAccessible(page, 'narrow (280 px), people list open, dark');
    });
  },
);
