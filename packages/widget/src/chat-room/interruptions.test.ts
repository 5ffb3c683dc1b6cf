// @vitest-environment jsdom
// What the widget tells the user when the server takes them out of the room, when messages are
// missing for good, when the room's history starts over, and when the sign-in expires.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ChatError } from '@chat/client';
import type { Authenticate } from '@chat/server';
import type { ChatErrorEvent } from '../events.js';
import { awayAndBack, sdkClient, startChat, track, type TestChat, restartChat } from '../../../../test-support/servers.js';
import { loadLocale } from '../i18n/locales.js';
import './chat-room.js';
import type { ChatRoomElement } from './chat-room.component.js';

// Spanish is a chunk the widget loads when asked (English meanwhile: chat-room.test.ts tests that);
// here it is loaded first, so that what a test reads right after a key is never the English of that moment.
beforeAll(() => loadLocale('es'));

function mount(attrs: Record<string, string>, props: Partial<Pick<ChatRoomElement, 'refreshToken'>> = {}): ChatRoomElement {
  const el = document.createElement('chat-room');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  Object.assign(el, props);
  document.body.append(el);
  track(() => el.remove());
  return el;
}
const shadow = (el: ChatRoomElement) => el.shadowRoot as ShadowRoot;
const banner = (el: ChatRoomElement) => shadow(el).querySelector('[part=banner]');
/** The live region the banner sits in: `alert` or `status`. */
const bannerRole = (el: ChatRoomElement) => banner(el)?.parentElement?.getAttribute('role');
const texts = (el: ChatRoomElement) => Array.from(shadow(el).querySelectorAll('.message .text')).map((n) => n.textContent);
/** The log as a screen reader reads it: messages and notices in order. */
const logLines = (el: ChatRoomElement) =>
  Array.from(shadow(el).querySelectorAll('[role=log] .message .text, [role=log] .notice')).map((n) =>
    n.classList.contains('notice') ? `[${n.textContent}]` : n.textContent,
  );
const composer = (el: ChatRoomElement) => ({
  input: shadow(el).querySelector('textarea') as HTMLTextAreaElement,
  send: shadow(el).querySelector('[part=send-button]') as HTMLButtonElement,
});
/** The chat-error events of `el`, as `CODE: message`. */
function errorsOf(el: ChatRoomElement): string[] {
  const errors: string[] = [];
  el.addEventListener('chat-error', (e: ChatErrorEvent) => errors.push(`${e.detail.error.code}: ${e.detail.error.message}`));
  return errors;
}
async function sendFromWidget(el: ChatRoomElement, text: string): Promise<void> {
  const { input } = composer(el);
  input.value = text;
  shadow(el).querySelector<HTMLFormElement>('form[part=composer]')!.requestSubmit();
  await vi.waitFor(() => expect(texts(el)).toContain(text), { timeout: 10_000 });
}

describe('<chat-room> when the server takes the user out of the room (jsdom)', () => {
  for (const [lang, text] of [
    ['en', 'You no longer have access to this room.'],
    ['es', 'Ya no tienes acceso a esta sala.'],
  ] as const) {
    it(`says so in an alert, keeps the messages and disables the composer (${lang})`, async () => {
      const { url, chat } = await startChat();
      await chat.createRoom({ id: 'cita-42', createdBy: 'host-user' });
      await chat.sendMessage('cita-42', { user: { id: 'host-user', name: 'Dr. Ruiz' }, text: 'welcome' });
      const el = mount({ server: url, room: 'cita-42', name: 'Ana', lang });
      await vi.waitFor(() => expect(texts(el)).toEqual(['welcome']), { timeout: 10_000 });
      const errors = errorsOf(el);
      expect(composer(el).input.disabled).toBe(false);
      composer(el).input.focus();

      await chat.updateRoom('cita-42', { options: { private: true } }); // only the creator may stay
      await vi.waitFor(() => expect(banner(el)?.textContent).toBe(text));
      expect(bannerRole(el)).toBe('alert');
      expect(composer(el).input.disabled).toBe(true);
      expect(composer(el).send.disabled).toBe(true);
      await vi.waitFor(() => expect(shadow(el).activeElement?.getAttribute('role')).toBe('log')); // the keyboard stays in the widget
      expect(texts(el)).toEqual(['welcome']);
      expect(el.chatRoom?.state).toBe('left');
      expect(errors).toEqual(['FORBIDDEN: You no longer have access to this room.']);
    });
  }

  it('a message failed by the removal offers Discard, not Retry', async () => {
    // The host's app takes the room private while Ana's message waits for the server.
    let hold: Promise<void> = Promise.resolve();
    let release = () => {};
    let privateNow = false;
    const { url, chat } = await startChat({
      authorize: async (action, ctx) => {
        if (action === 'message:send') await hold;
        return !privateNow || ctx.user.id === 'host-user';
      },
    });
    await chat.createRoom({ id: 'r', createdBy: 'host-user' });
    const el = mount({ server: url, room: 'r', name: 'Ana' });
    await vi.waitFor(() => expect(el.chatRoom?.state).toBe('joined'), { timeout: 10_000 });
    hold = new Promise((resolve) => (release = resolve));
    const { input } = composer(el);
    input.value = 'are you there?';
    shadow(el).querySelector<HTMLFormElement>('form[part=composer]')!.requestSubmit();
    await vi.waitFor(() => expect(shadow(el).querySelector('.group.pending')).not.toBeNull());
    privateNow = true;
    await chat.updateRoom('r', { options: { private: true } });
    await vi.waitFor(() => expect(shadow(el).querySelector('.status.failed')).not.toBeNull());
    release();
    const failed = shadow(el).querySelector('.status.failed') as HTMLElement;
    expect(failed.getAttribute('role')).toBe('alert');
    expect(failed.textContent).toContain('You were removed from this room before this message was sent.');
    expect(Array.from(failed.querySelectorAll('button')).map((b) => b.textContent)).toEqual(['Discard']);
    expect(banner(el)?.textContent).toBe('You no longer have access to this room.');
  });
});

describe('<chat-room> when messages are missing for good (jsdom)', () => {
  for (const [lang, text] of [
    ['en', 'Some messages could not be loaded.'],
    ['es', 'No se pudieron cargar algunos mensajes.'],
  ] as const) {
    it(`marks the place in the log where they are missing (${lang})`, async () => {
      // An ephemeral room stores nothing: what was said while the widget was away is gone.
      const { url, chat } = await startChat();
      await chat.createRoom({ id: 'call', options: { ephemeral: true } });
      const el = mount({ server: url, room: 'call', name: 'Ana', lang });
      await vi.waitFor(() => expect(el.chatRoom?.state).toBe('joined'), { timeout: 10_000 });
      await chat.sendMessage('call', { user: { id: 'bot', name: 'Bot' }, text: 'before' });
      await vi.waitFor(() => expect(texts(el)).toEqual(['before']));
      const room = el.chatRoom;
      // The widget comes back by itself.
      await awayAndBack(chat, 'call', async () => {
        await chat.sendMessage('call', { user: { id: 'bot', name: 'Bot' }, text: 'said while away' });
      });
      await chat.sendMessage('call', { user: { id: 'bot', name: 'Bot' }, text: 'after' });
      await vi.waitFor(() => expect(logLines(el).slice(-3)).toEqual(['before', `[${text}]`, 'after']), { timeout: 10_000 });
      const notice = Array.from(shadow(el).querySelectorAll('.notice')).find((n) => n.textContent === text);
      expect(notice?.classList.contains('break')).toBe(true);
      expect(notice?.closest('[role=log]')?.getAttribute('aria-live')).toBe('polite'); // read out as it is added
      expect(el.chatRoom).toBe(room);
    });
  }
});

describe('<chat-room> when the server history of the room starts over (jsdom)', () => {
  // The demo's memory store starts empty after a restart; the widget must not mix the two histories.
  for (const [lang, text] of [
    ['en', 'The chat history was reset on the server. Earlier messages are no longer available.'],
    ['es', 'El historial del chat se reinició en el servidor. Los mensajes anteriores ya no están disponibles.'],
  ] as const) {
    it(`says so and shows only the new history (${lang})`, async () => {
      const first = await startChat();
      const el = mount({ server: first.url, room: 'demo', name: 'Ana', lang });
      await vi.waitFor(() => expect(el.chatRoom?.state).toBe('joined'), { timeout: 10_000 });
      for (const t of ['old 1', 'old 2', 'old 3']) await first.chat.sendMessage('demo', { user: { id: 'bot', name: 'Bot' }, text: t });
      await first.chat.sendMessage('demo', { user: { id: 'luis', name: 'Luis' }, text: 'old 4' });
      await vi.waitFor(() => expect(texts(el)).toEqual(['old 1', 'old 2', 'old 3', 'old 4']));
      // Luis comes and goes: two notices placed by seqs of the old history.
      const luis = sdkClient(first.url, { auth: { name: 'Luis' } });
      await luis.join('demo');
      const [joined, left] = lang === 'es' ? ['[Luis se unió]', '[Luis salió]'] : ['[Luis joined]', '[Luis left]'];
      await vi.waitFor(() => expect(logLines(el).at(-1)).toBe(joined), { timeout: 10_000 });
      luis.close();
      await vi.waitFor(() => expect(logLines(el).slice(-2)).toEqual([joined, left]), { timeout: 10_000 });

      const second = await restartChat(first);
      await second.chat.sendMessage('demo', { user: { id: 'bot', name: 'Bot' }, text: 'new 1' });
      await vi.waitFor(() => expect(logLines(el)).toContain(`[${text}]`), { timeout: 15_000 });
      await vi.waitFor(() => expect(texts(el)).toEqual(['new 1']));
      // Seq 1 of the new history is not taken for seq 1 of the old one, and nothing of the old stays.
      expect(shadow(el).querySelector('.message')?.getAttribute('data-seq')).toBe('1');
      const beginning = lang === 'es' ? 'Este es el comienzo de la conversación.' : 'This is the beginning of the conversation.';
      const today = lang === 'es' ? 'Hoy' : 'Today';
      expect(logLines(el)).toEqual([`[${beginning}]`, `[${text}]`, `[${today}]`, 'new 1']);
      await sendFromWidget(el, 'new 2');
      expect(texts(el)).toEqual(['new 1', 'new 2']);
    });
  }
});

describe('<chat-room> when the sign-in expires (jsdom)', () => {
  // Tokens that say when they expire; the server signs a connection out then (`expiresAt`), as
  // with jwtAuthenticate (which the Chromium tests use: jose's browser build, which jsdom picks,
  // wants WebCrypto keys).
  const token = async (seconds: number) => `ana:${Date.now() + seconds * 1000}`;
  const authenticate: Authenticate = ({ auth }) => {
    const [id, at] = String(auth['token']).split(':');
    const expiresAt = Number(at);
    if (id !== 'ana' || !(expiresAt > Date.now())) throw new ChatError('UNAUTHENTICATED', 'Your sign-in token has expired.');
    return { id, name: 'Ana', expiresAt: new Date(expiresAt).toISOString() };
  };
  /** Counts the connections the server accepts. */
  const connections = (chat: TestChat['chat']) => {
    const count = { value: 0 };
    chat.io.on('connection', () => count.value++);
    return count;
  };

  for (const [lang, text] of [
    ['en', 'Your sign-in has expired. Sign in again to keep chatting.'],
    ['es', 'Tu sesión ha caducado. Vuelve a iniciar sesión para seguir chateando.'],
  ] as const) {
    it(`says so in an alert; a new token attribute signs the same widget in again (${lang})`, async () => {
      const { url } = await startChat({ authenticate });
      const el = mount({ server: url, room: 'r', token: await token(2), lang });
      await vi.waitFor(() => expect(el.chatRoom?.state).toBe('joined'), { timeout: 10_000 });
      const room = el.chatRoom;
      const errors = errorsOf(el);
      await vi.waitFor(() => expect(banner(el)?.textContent).toBe(text), { timeout: 10_000 });
      expect(bannerRole(el)).toBe('alert');
      expect(composer(el).input.disabled).toBe(true);
      expect(errors[0]).toBe('UNAUTHENTICATED: Your sign-in has expired. Please sign in again.');

      el.setAttribute('token', await token(3600));
      await vi.waitFor(() => expect(banner(el)).toBeNull(), { timeout: 10_000 });
      expect(composer(el).input.disabled).toBe(false);
      expect(el.chatRoom).toBe(room); // the same client and room, signed in again
      await sendFromWidget(el, 'back again');
    });
  }

  it('a new token on a live widget goes to the connection, which stays up', async () => {
    const { url, chat } = await startChat({ authenticate });
    const accepted = connections(chat);
    const el = mount({ server: url, room: 'r', token: await token(60) });
    await vi.waitFor(() => expect(el.chatRoom?.state).toBe('joined'), { timeout: 10_000 });
    const room = el.chatRoom;
    const states: string[] = [];
    el.chatRoom?.on('updated', () => states.push(String(el.chatRoom?.state)));
    let refreshed = false;
    const socket = [...chat.io.sockets.sockets.values()][0];
    socket?.prependAny((event: string) => (refreshed ||= event === 'auth:refresh'));

    el.setAttribute('token', await token(3600));
    await vi.waitFor(() => expect(refreshed).toBe(true));
    await sendFromWidget(el, 'still here');
    expect(accepted.value).toBe(1);
    expect(el.chatRoom).toBe(room);
    expect(states).not.toContain('syncing');
    expect(banner(el)).toBeNull();
  });

  it('a refreshToken given after the sign-in expired signs the widget in again', async () => {
    const { url } = await startChat({ authenticate });
    const el = mount({ server: url, room: 'r', token: await token(1) });
    await vi.waitFor(() => expect(el.chatRoom?.state).toBe('joined'), { timeout: 10_000 });
    await sendFromWidget(el, 'before');
    const errors = errorsOf(el);
    await vi.waitFor(() => expect(banner(el)?.textContent).toBe('Your sign-in has expired. Sign in again to keep chatting.'), {
      timeout: 10_000,
    });
    // Signed out at expiry, then refused when it tried again with the old token: it has stopped.
    // The second comes after the client's reconnection delay, which a loaded machine stretches.
    await vi.waitFor(() => expect(errors).toHaveLength(2), { timeout: 30_000 });
    el.refreshToken = () => token(3600);
    await vi.waitFor(() => expect(el.chatRoom?.state).toBe('joined'), { timeout: 10_000 });
    await vi.waitFor(() => expect(banner(el)).toBeNull(), { timeout: 10_000 });
    // The history comes with the join's answer, drawn in the next update (on a loaded machine, after the checks above).
    await vi.waitFor(() => expect(texts(el)).toEqual(['before']));
    await sendFromWidget(el, 'after');
  }, 90_000);

  it('with refreshToken the widget never signs out', async () => {
    const { url, chat } = await startChat({ authenticate });
    const accepted = connections(chat);
    let asked = 0;
    const el = mount(
      { server: url, room: 'r', token: await token(2) },
      {
        refreshToken: () => {
          asked++;
          return token(3600);
        },
      },
    );
    const errors = errorsOf(el);
    await vi.waitFor(() => expect(el.chatRoom?.state).toBe('joined'), { timeout: 10_000 });
    await vi.waitFor(() => expect(asked).toBe(1), { timeout: 10_000 });
    // Past the first token's expiry, the connection is the same and nothing was said.
    const expiredAt = Date.now() + 2000;
    await vi.waitFor(() => expect(Date.now()).toBeGreaterThan(expiredAt), { timeout: 5000, interval: 200 });
    await sendFromWidget(el, 'still signed in');
    expect(accepted.value).toBe(1);
    expect(errors).toEqual([]);
    expect(banner(el)).toBeNull();
  });
});
