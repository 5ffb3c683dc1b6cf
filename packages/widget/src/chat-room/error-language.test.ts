// @vitest-environment jsdom
// Errors in the widget's language: the toolkit's sentences are English (`lang: 'en'`), so a Spanish
// widget says `strings.errors` for their codes; a hook's sentence without `lang` is shown as
// written; `chat-error` carries the error as it came.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { ChatError } from '@chat/client';
import type { ChatErrorEvent } from '../events.js';
import { startChat, track } from '../../../../test-support/servers.js';
import { loadLocale } from '../i18n/locales.js';
import './chat-room.js';
import type { ChatRoomElement } from './chat-room.component.js';

beforeAll(() => loadLocale('es'));

function mount(attrs: Record<string, string>): ChatRoomElement {
  const el = document.createElement('chat-room');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  document.body.append(el);
  track(() => el.remove());
  return el;
}
const shadow = (el: ChatRoomElement) => el.shadowRoot as ShadowRoot;
function errorsOf(el: ChatRoomElement): string[] {
  const errors: string[] = [];
  el.addEventListener('chat-error', (e: ChatErrorEvent) => errors.push(`${e.detail.error.code}: ${e.detail.error.message}`));
  return errors;
}

/** Sends `text` from the widget's composer and returns the failed message's line. */
async function failedSend(el: ChatRoomElement, text: string): Promise<string> {
  await vi.waitFor(() => expect(el.chatRoom?.state).toBe('joined'), { timeout: 10_000 });
  const input = shadow(el).querySelector('textarea') as HTMLTextAreaElement;
  input.value = text;
  shadow(el).querySelector<HTMLFormElement>('form[part=composer]')!.requestSubmit();
  await vi.waitFor(() => expect(shadow(el).querySelector('.status.failed')).not.toBeNull());
  const line = shadow(el).querySelector('.status.failed') as HTMLElement;
  return Array.from(line.childNodes)
    .filter((n) => n.nodeType === 3)
    .map((n) => n.textContent?.trim())
    .join('');
}

describe("<chat-room> says the toolkit's refusals in its language (jsdom)", () => {
  /** A host whose beforeMessage refuses in English without saying so, in English saying so, and in Spanish. */
  const hostRules = async () =>
    startChat({
      beforeMessage: (draft) => {
        if (draft.text.includes('http')) throw new ChatError('VALIDATION_FAILED', 'Links are not allowed in this room.');
        if (draft.text.includes('buy')) throw new ChatError('FORBIDDEN', 'No selling here.', { lang: 'en' });
        if (draft.text.includes('compra')) throw new ChatError('FORBIDDEN', 'Aquí no se vende.', { lang: 'es' });
        return draft;
      },
    });

  it("a hook's sentence: as written without lang or in the widget's language, in Spanish words when it says it is English", async () => {
    const { url } = await hostRules();
    const el = mount({ server: url, room: 'r', name: 'Ana', lang: 'es' });
    const errors = errorsOf(el);
    expect(await failedSend(el, 'mira http://example.com')).toBe('Links are not allowed in this room.');
    const ana = mount({ server: url, room: 'r', name: 'Eva', lang: 'es' });
    expect(await failedSend(ana, 'buy now')).toBe('No tienes permiso para hacer esto.');
    const luis = mount({ server: url, room: 'r', name: 'Luis', lang: 'es' });
    expect(await failedSend(luis, 'compra ya')).toBe('Aquí no se vende.');
    expect(errors).toEqual(['VALIDATION_FAILED: Links are not allowed in this room.']);
  });

  it("a refused join on the banner, in Spanish; chat-error carries the server's English sentence and its lang", async () => {
    const { url } = await startChat({ createRoomsOnJoin: false });
    const el = mount({ server: url, room: 'no-such-room', name: 'Ana', lang: 'es' });
    const errors: ChatError[] = [];
    el.addEventListener('chat-error', (e: ChatErrorEvent) => errors.push(e.detail.error));
    await vi.waitFor(() => expect(shadow(el).querySelector('[part=banner]')?.textContent).toBe('Esta sala no existe.'), {
      timeout: 10_000,
    });
    expect(errors.map((e) => [e.code, e.lang])).toEqual([['ROOM_NOT_FOUND', 'en']]);
    expect(errors[0]?.message).toMatch(/no-such-room/u);
  });

  it("the same refusal in English is the server's sentence", async () => {
    const { url } = await startChat({ createRoomsOnJoin: false });
    const el = mount({ server: url, room: 'no-such-room', name: 'Ana', lang: 'en' });
    const errors = errorsOf(el);
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 10_000 });
    expect(shadow(el).querySelector('[part=banner]')?.textContent).toBe(errors[0]?.slice('ROOM_NOT_FOUND: '.length));
  });
});
