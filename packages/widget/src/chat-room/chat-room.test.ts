// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { ChatClient, ChatError } from '@chat/client';
import type { ChatErrorEvent } from '../events.js';
import { sdkClient, startChat, track } from '../../../../test-support/servers.js';
import './chat-room.js';
import '../chat-inbox/chat-inbox.js';
import type { ChatRoomElement } from './chat-room.component.js';
import { en } from '../i18n/en.js';
import { registerLocale } from '../i18n/locales.js';
import { waitFor } from '../../../../test-support/wait.js';

function mount(attrs: Record<string, string>, client?: ChatClient): ChatRoomElement {
  const el = document.createElement('chat-room');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (client) el.client = client;
  document.body.append(el);
  track(() => el.remove());
  return el;
}
const shadow = (el: ChatRoomElement) => el.shadowRoot as ShadowRoot;

describe('<chat-room> rendering (jsdom)', () => {
  it('asks for a name when it has neither name nor token', async () => {
    const el = mount({ room: 'r', lang: 'es' });
    // Spanish is loaded when asked for (English meanwhile).
    await waitFor(() => expect(shadow(el).querySelector('p')?.textContent).toBe('Elige un nombre para unirte al chat.'));
    expect(shadow(el).querySelector('label[for=name]')?.textContent).toBe('Tu nombre');
  });

  it("speaks the page's language when it has no lang of its own", async () => {
    document.documentElement.lang = 'es-MX';
    track(() => void (document.documentElement.lang = ''));
    const el = mount({ room: 'r' });
    await waitFor(() => expect(shadow(el).querySelector('p')?.textContent).toBe('Elige un nombre para unirte al chat.'));
  });

  it('renders the room of a client the page already has, as text, and leaves the client open', async () => {
    const { url, chat } = await startChat();
    await chat.sendMessage('jsdom', { user: { id: 'bot', name: 'Bot <i>' }, text: '<img src=x onerror=alert(1)>' });
    const client = new ChatClient({ url, auth: { name: 'Ana' }, socketOptions: { transports: ['websocket'] } });
    track(() => client.close());
    const el = mount({ room: 'jsdom', theme: 'dark' }, client);
    const joined = vi.fn();
    el.addEventListener('chat-join', joined);
    await waitFor(() => expect(shadow(el).querySelector('.message .text')?.textContent).toBe('<img src=x onerror=alert(1)>'));
    expect(shadow(el).querySelector('.message img')).toBeNull();
    expect(shadow(el).querySelector('.name')?.textContent).toBe('Bot <i>');
    expect(shadow(el).querySelector('[role=log]')?.getAttribute('aria-label')).toBe('Messages');
    expect(el.getAttribute('theme')).toBe('dark');
    await waitFor(() => expect(joined).toHaveBeenCalledTimes(1));
    el.remove();
    expect(client.state).not.toBe('disconnected');
  });
  it("takes a dir the host sets on it later (the frame's dir follows the element's)", async () => {
    const el = mount({ room: 'r', lang: 'en' });
    await waitFor(() => expect(shadow(el).querySelector('section')?.getAttribute('dir')).toBe('ltr'));
    el.setAttribute('dir', 'rtl');
    await waitFor(() => expect(shadow(el).querySelector('section')?.getAttribute('dir')).toBe('rtl'));
    el.dir = 'ltr';
    await waitFor(() => expect(shadow(el).querySelector('section')?.getAttribute('dir')).toBe('ltr'));
    // The inbox's too.
    const inbox = document.createElement('chat-inbox');
    document.body.append(inbox);
    track(() => inbox.remove());
    const frame = () => inbox.shadowRoot?.querySelector('section')?.getAttribute('dir');
    await waitFor(() => expect(frame()).toBe('ltr'));
    inbox.setAttribute('dir', 'rtl');
    await waitFor(() => expect(frame()).toBe('rtl'));
  });

  it('renders in a language a page registers under a key that is no valid language tag (ltr)', async () => {
    // shownLanguage gives the table's key for such a tag: the frame's direction must not throw on it.
    registerLocale('x-custom', { ...en, namePrompt: 'Custom prompt' });
    registerLocale('ar_EG', { ...en, namePrompt: 'Arabic prompt' });
    const custom = mount({ room: 'r', lang: 'x-custom' });
    const arabic = mount({ room: 'r', lang: 'ar_EG' });
    await waitFor(() => expect(shadow(custom).querySelector('p')?.textContent).toBe('Custom prompt'));
    await waitFor(() => expect(shadow(arabic).querySelector('p')?.textContent).toBe('Arabic prompt'));
    expect(shadow(custom).querySelector('section')?.getAttribute('dir')).toBe('ltr');
  });
});

describe('<chat-room> name prompt when the server refuses the name (jsdom)', () => {
  const prompt = (el: ChatRoomElement) => ({
    text: shadow(el).querySelector('.prompt > p:not(.field-error)')?.textContent,
    input: shadow(el).querySelector<HTMLInputElement>('input#name'),
    error: shadow(el).querySelector('#name-error'),
  });
  const submitName = (el: ChatRoomElement, name: string) => {
    prompt(el).input!.value = name;
    shadow(el).querySelector('form')!.requestSubmit();
  };
  /** The chat-error events of `el`, as `CODE: message`. */
  const errorsOf = (el: ChatRoomElement) => {
    const errors: string[] = [];
    el.addEventListener('chat-error', (e: ChatErrorEvent) => errors.push(`${e.detail.error.code}: ${e.detail.error.message}`));
    return errors;
  };

  it('asks again on NAME_TAKEN with the reason, the name and focus on the field; another name joins', async () => {
    const { url } = await startChat();
    await sdkClient(url, { auth: { name: 'Ana' } }).join('taken');
    const el = mount({ server: url, room: 'taken', name: 'ana' });
    const errors = errorsOf(el);
    const taken = 'NAME_TAKEN: Someone in this room is already called "ana". Please choose another name.';
    await waitFor(() => expect(prompt(el).error?.textContent).toBe(taken.slice('NAME_TAKEN: '.length)));
    const { input, error, text } = prompt(el);
    expect(text).toBe('Choose another name to join the chat.');
    expect(input?.value).toBe('ana');
    expect(input?.getAttribute('aria-invalid')).toBe('true');
    expect(input?.getAttribute('aria-describedby')).toBe('name-error');
    expect(error?.getAttribute('role')).toBe('alert');
    expect(errors).toEqual([taken]);

    submitName(el, 'ana'); // the same name again is tried again, and refused again
    await waitFor(() => expect(errors).toEqual([taken, taken]));
    await waitFor(() => expect(prompt(el).error).not.toBeNull());
    expect(shadow(el).activeElement).toBe(prompt(el).input);

    const joined = vi.fn();
    el.addEventListener('chat-join', joined);
    submitName(el, 'Eva');
    await waitFor(() => expect(joined).toHaveBeenCalledTimes(1));
    expect(el.chatRoom?.self?.name).toBe('Eva');
    expect(el.chatRoom?.members.map((m) => m.name).sort()).toEqual(['Ana', 'Eva']);
    expect(prompt(el).input).toBeNull();
  });

  it('says NAME_TAKEN in Spanish in a Spanish widget (the server says it in English)', async () => {
    const { url } = await startChat();
    await sdkClient(url, { auth: { name: 'Ana' } }).join('tomado');
    const el = mount({ server: url, room: 'tomado', name: 'ana', lang: 'es' });
    const errors = errorsOf(el);
    await waitFor(() => expect(prompt(el).error?.textContent).toBe('Alguien en esta sala ya usa ese nombre.'));
    expect(prompt(el).text).toBe('Elige otro nombre para unirte al chat.');
    expect(errors).toEqual(['NAME_TAKEN: Someone in this room is already called "ana". Please choose another name.']);
  });

  it('asks again when the name was taken while the guest was offline (NAME_TAKEN at the re-join)', async () => {
    // The widget's "Ana" is held at the handshake until the other "ana" has joined.
    let held = Promise.resolve();
    let release = () => {};
    const { url, chat } = await startChat({
      authenticate: async ({ auth }) => {
        if (auth['name'] === 'Ana') await held;
        return { id: `u-${String(auth['guestKey'])}`, name: String(auth['name']) };
      },
    });
    const el = mount({ server: url, room: 'away', name: 'Ana' });
    await waitFor(() => expect(el.chatRoom?.self?.name).toBe('Ana'));
    const errors = errorsOf(el);
    held = new Promise((resolve) => (release = resolve));
    chat.io.disconnectSockets(true); // the widget comes back by itself
    const other = sdkClient(url, { auth: { name: 'ana' } });
    await waitFor(() => other.join('away'), { timeout: 5000, interval: 50 }); // once the first Ana is gone
    release();
    await waitFor(
      () => expect(prompt(el).error?.textContent).toBe('Someone in this room is already called "Ana". Please choose another name.'),
      {
        timeout: 5000,
      },
    );
    expect(errors.map((e) => e.split(':')[0])).toEqual(['NAME_TAKEN']);
    expect(prompt(el).input?.value).toBe('Ana');
    submitName(el, 'Ana B');
    await waitFor(() => expect(el.chatRoom?.self?.name).toBe('Ana B'));
  });

  it('asks again when the handshake refuses the name (UNAUTHENTICATED), in Spanish too, with the reason in Spanish', async () => {
    const { url } = await startChat();
    // Empty, control characters, too long: the exact rules and sentences are the server's.
    for (const name of ['   ', 'A\u0007b', 'x'.repeat(65)]) {
      const el = mount({ server: url, room: 'r', name, lang: 'es' });
      const errors = errorsOf(el);
      await waitFor(() => expect(prompt(el).error, JSON.stringify(name)).not.toBeNull());
      expect(errors).toHaveLength(1);
      const [, code, reason] = /^(\w+): (.*)$/su.exec(errors[0]!) ?? [];
      expect(['UNAUTHENTICATED', 'VALIDATION_FAILED']).toContain(code);
      expect(reason).toMatch(/name/iu); // the server's English, in chat-error
      expect(prompt(el).error?.textContent).toBe(
        'Ese nombre no se puede usar: está vacío, es demasiado largo o tiene caracteres no permitidos.',
      );
      expect(prompt(el).text).toBe('Elige otro nombre para unirte al chat.');
      expect(shadow(el).querySelector('[part=banner]')).toBeNull();
      submitName(el, 'Eva');
      await waitFor(() => expect(el.chatRoom?.self?.name).toBe('Eva'));
      el.remove();
    }
  });

  it('a name of only blanks typed in the prompt gets the server reason, not silence', async () => {
    const { url } = await startChat();
    const el = mount({ server: url, room: 'r' });
    await el.updateComplete;
    const errors = errorsOf(el);
    submitName(el, '   ');
    await waitFor(() => expect(prompt(el).error).not.toBeNull());
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(prompt(el).error?.textContent);
    expect(shadow(el).activeElement).toBe(prompt(el).input);
  });

  it('asks again on VALIDATION_FAILED at the handshake', async () => {
    const { url } = await startChat({
      authenticate: ({ auth }) => {
        const name = String(auth['name']);
        if (name.includes('\u200b')) throw new ChatError('VALIDATION_FAILED', 'Names cannot contain invisible characters.');
        return { id: `u-${name}`, name };
      },
    });
    const el = mount({ server: url, room: 'r', name: 'A\u200bna' });
    await waitFor(() => expect(prompt(el).error?.textContent).toBe('Names cannot contain invisible characters.'));
    expect(prompt(el).input?.value).toBe('A\u200bna');
    submitName(el, 'Ana');
    await waitFor(() => expect(el.chatRoom?.self?.name).toBe('Ana'));
  });

  it('keeps a refused sign-in token on the banner: another name cannot fix it', async () => {
    const { url } = await startChat({
      authenticate: () => {
        throw new ChatError('UNAUTHENTICATED', 'Your session has expired.');
      },
    });
    const el = mount({ server: url, room: 'r', token: 'expired' });
    const errors = errorsOf(el);
    await waitFor(() => expect(shadow(el).querySelector('[part=banner]')?.textContent).toBe('Your session has expired.'));
    expect(prompt(el).input).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 0)); // the join it also fails settles in microtasks before this
    expect(errors).toEqual(['UNAUTHENTICATED: Your session has expired.']);
  });
});
