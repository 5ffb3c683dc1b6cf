// @vitest-environment jsdom
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChatClient } from '@chat/client';
import { MemoryStore } from '@chat/server';
import { sdkClient, startChat, track } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';
import { loadLocale } from '../i18n/locales.js';
import './chat-room.js';
import type { ChatRoomElement } from './chat-room.component.js';

// Spanish is a chunk the widget loads when asked (English meanwhile: chat-room.test.ts tests that);
// here it is loaded first, so that what a test reads right after a key is never the English of that moment.
beforeAll(() => loadLocale('es'));
// jsdom lays nothing out and has no scrollIntoView (the emoji choice is scrolled into view when it opens).
if (!('scrollIntoView' in Element.prototype)) Object.assign(Element.prototype, { scrollIntoView: () => {} });

// The log as one tab stop (roving tabindex over the feed's articles) and what the keys do there,
// with a real server and the widget's own code; the flows that change messages on the server
// are proven in Chromium (test/message-changes.e2e.test.ts).

function mount(room: string, client: ChatClient, lang = 'en'): ChatRoomElement {
  const el = document.createElement('chat-room');
  el.setAttribute('room', room);
  el.setAttribute('lang', lang);
  el.client = client;
  document.body.append(el);
  track(() => el.remove());
  return el;
}
const root = (el: ChatRoomElement) => el.shadowRoot as ShadowRoot;
const articles = (el: ChatRoomElement) => Array.from(root(el).querySelectorAll<HTMLElement>('[role=article]'));
const focused = (el: ChatRoomElement) => root(el).activeElement as HTMLElement | null;
const textOf = (article: HTMLElement | null | undefined) => article?.querySelector('.text')?.textContent;
const tabStops = (el: ChatRoomElement) => articles(el).filter((a) => a.tabIndex === 0);
/** Presses `key` on what has focus in the widget, as a keyboard does, and waits for the render. */
async function press(el: ChatRoomElement, key: string, init: KeyboardEventInit = {}): Promise<KeyboardEvent> {
  const event = new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true, ...init });
  (focused(el) ?? el).dispatchEvent(event);
  await el.updateComplete;
  await el.updateComplete; // a focus change asks for one more render (the tab stop moves)
  return event;
}
/** Types `text` into the composer as input events do. */
async function type(el: ChatRoomElement, text: string): Promise<HTMLTextAreaElement> {
  const box = root(el).querySelector<HTMLTextAreaElement>('#input')!;
  box.focus();
  box.value += text;
  box.selectionStart = box.selectionEnd = box.value.length;
  box.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await el.updateComplete;
  return box;
}

async function roomWith(texts: string[], options: Parameters<typeof startChat>[0] = {}) {
  const server = await startChat(options);
  const bot = { id: 'bot', name: 'Bot' };
  const sent = [];
  for (const text of texts) sent.push(await server.chat.sendMessage('k', { user: bot, text }));
  const ana = sdkClient(server.url, { auth: { name: 'Ana' } });
  return { ...server, sent, ana };
}

describe('<chat-room> log: one tab stop, arrow keys between messages (jsdom)', () => {
  it('is one tab stop on the newest message; arrows, Home/End and Page Up/Down move it and focus', async () => {
    const { ana } = await roomWith(['one https://example.com/1', 'two', 'three', 'four']);
    const el = mount('k', ana);
    await waitFor(() => expect(articles(el)).toHaveLength(4));
    const log = root(el).querySelector<HTMLElement>('[role=log]')!;
    expect(log.tabIndex).toBe(-1); // the messages hold the tab stop now
    expect(root(el).querySelector('[role=feed]')).not.toBeNull();
    expect(tabStops(el).map(textOf)).toEqual(['four']);
    // Controls inside messages are not tab stops either: the link of the first one is reached by Enter.
    expect(root(el).querySelector<HTMLAnchorElement>('.message a')?.tabIndex).toBe(-1);
    expect(articles(el).map((a) => [a.getAttribute('aria-posinset'), a.getAttribute('aria-setsize')])).toEqual([
      ['1', '4'],
      ['2', '4'],
      ['3', '4'],
      ['4', '4'],
    ]);

    tabStops(el)[0]!.focus();
    await el.updateComplete;
    expect((await press(el, 'ArrowUp')).defaultPrevented).toBe(true);
    expect(textOf(focused(el))).toBe('three');
    expect(tabStops(el).map(textOf)).toEqual(['three']);
    await press(el, 'Home');
    expect(textOf(focused(el))).toBe('one https://example.com/1');
    await press(el, 'ArrowUp'); // the first stays first
    expect(textOf(focused(el))).toBe('one https://example.com/1');
    await press(el, 'PageDown');
    expect(textOf(focused(el))).toBe('two');
    await press(el, 'End');
    expect(textOf(focused(el))).toBe('four');
    await press(el, 'PageUp');
    await press(el, 'ArrowDown');
    expect(textOf(focused(el))).toBe('four');
    expect((await press(el, 'ArrowLeft')).defaultPrevented).toBe(false); // not a key of the list
    expect(tabStops(el)).toHaveLength(1);

    // A new message does not steal the tab stop from where the user is.
    await press(el, 'Home');
    await el.chatRoom!.send('five');
    await waitFor(() => expect(articles(el)).toHaveLength(5));
    expect(tabStops(el).map(textOf)).toEqual(['one https://example.com/1']);
  });

  it('Enter opens the actions (focus on the first, all reachable by Tab), Escape closes them; so does the context-menu key', async () => {
    const { ana } = await roomWith(['from the bot https://example.com/x']);
    const el = mount('k', ana);
    await waitFor(() => expect(articles(el)).toHaveLength(1));
    await el.chatRoom!.send('mine');
    await waitFor(() => expect(articles(el)).toHaveLength(2));
    await waitFor(() => expect(root(el).querySelector('.actions')).not.toBeNull()); // chat-room.message-tools.js is in
    const [bots, mine] = articles(el);
    bots!.focus();
    await press(el, 'Enter');
    expect(focused(el)?.getAttribute('aria-label')).toBe('Reply');
    expect(bots!.classList.contains('open')).toBe(true);
    const group = bots!.querySelector('[role=group]');
    expect(group?.getAttribute('aria-label')).toBe('Message actions');
    // Another's message: reply, react, report and reply in thread, each a tab stop while open, the link too.
    expect(Array.from(group!.querySelectorAll('button')).map((b) => [b.getAttribute('aria-label'), b.tabIndex])).toEqual([
      ['Reply', 0],
      ['React', 0],
      ['Report', 0],
      ['Reply in thread', 0],
    ]);
    expect(bots!.querySelector('a')?.tabIndex).toBe(0);
    await press(el, 'Escape');
    expect(focused(el)).toBe(bots);
    expect(bots!.classList.contains('open')).toBe(false);
    expect(Array.from(bots!.querySelectorAll('button')).map((b) => b.tabIndex)).toEqual([-1, -1, -1, -1]);

    mine!.focus();
    await press(el, 'ContextMenu');
    expect(Array.from(mine!.querySelectorAll('.actions button')).map((b) => b.getAttribute('aria-label'))).toEqual([
      'Reply',
      'React',
      'Edit',
      'Delete',
      'Reply in thread',
    ]);
    expect(focused(el)?.getAttribute('aria-label')).toBe('Reply');
    await press(el, 'Escape');
    await press(el, 'F10', { shiftKey: true });
    expect(mine!.classList.contains('open')).toBe(true);
    // Focus moves on out of the message (Tab past its controls, a click elsewhere): they close.
    root(el).querySelector<HTMLElement>('#input')!.focus();
    await waitFor(() => expect(mine!.classList.contains('open')).toBe(false));
    expect(Array.from(mine!.querySelectorAll<HTMLElement>('.actions button')).map((b) => b.tabIndex)).toEqual([-1, -1, -1, -1, -1]);
  });

  it('Reply puts a quote above the composer and sends replyTo; Escape or its button drops it', async () => {
    const { ana, sent } = await roomWith(['what time?']);
    const el = mount('k', ana, 'es');
    await waitFor(() => expect(articles(el)).toHaveLength(1));
    articles(el)[0]!.focus();
    await press(el, 'Enter');
    focused(el)!.click(); // "Responder"
    await el.updateComplete;
    const preview = () => root(el).querySelector('[part=reply-preview]');
    expect(preview()?.querySelector('span')?.textContent).toBe('Respondiendo a Bot: what time?');
    expect(focused(el)?.id).toBe('input');
    expect(focused(el)?.getAttribute('aria-describedby')).toBe('replying');
    await press(el, 'Escape');
    expect(preview()).toBeNull();

    articles(el)[0]!.focus();
    await press(el, 'Enter');
    focused(el)!.click();
    await el.updateComplete;
    expect(preview()?.querySelector('button')?.getAttribute('aria-label')).toBe('Cancelar respuesta');
    await type(el, 'at ten');
    await press(el, 'Enter');
    await waitFor(() => expect(el.chatRoom?.messages.at(-1)?.text).toBe('at ten'));
    expect(el.chatRoom?.messages.at(-1)?.replyTo).toBe(sent[0]!.id);
    expect(preview()).toBeNull();
    // The reply in the log quotes it, as a button that shows the original.
    await waitFor(() => expect(root(el).querySelector('[part=reply]')?.textContent?.trim()).toBe('en respuesta a Bot: what time?'));
  });

  it('the quote above the composer follows its message: edited, it shows the new text; deleted, says so', async () => {
    const { ana, sent, chat } = await roomWith(['what time?']);
    const el = mount('k', ana);
    await waitFor(() => expect(articles(el)).toHaveLength(1));
    articles(el)[0]!.focus();
    await press(el, 'Enter');
    focused(el)!.click(); // "Reply"
    await el.updateComplete;
    const quote = () => root(el).querySelector('[part=reply-preview] span')?.textContent;
    expect(quote()).toBe('Replying to Bot: what time?');
    await chat.editMessage('k', sent[0]!.id, 'what time, and where?');
    await waitFor(() => expect(textOf(articles(el)[0])).toBe('what time, and where?'));
    expect(quote()).toBe('Replying to Bot: what time, and where?');
    await chat.deleteMessage('k', sent[0]!.id);
    await waitFor(() => expect(quote()).toBe('Replying to Bot: a deleted message'));
  });

  it('a quote shows its original, loading older pages until it is found', async () => {
    const texts = Array.from({ length: 12 }, (_, i) => `m${i + 1}`);
    const { ana, sent, chat } = await roomWith(texts, { limits: { defaultHistoryPage: 4 } });
    await chat.sendMessage('k', { user: { id: 'eva', name: 'Eva' }, text: 'about m1', replyTo: sent[0]!.id });
    const el = mount('k', ana);
    await waitFor(() => expect(articles(el)).toHaveLength(4));
    expect(articles(el).map(textOf)).toEqual(['m10', 'm11', 'm12', 'about m1']);
    const quote = () =>
      articles(el)
        .find((a) => textOf(a) === 'about m1')!
        .querySelector<HTMLButtonElement>('[part=reply]')!;
    expect(quote().textContent?.trim()).toBe('in reply to an earlier message');
    quote().click();
    await waitFor(() => expect(textOf(focused(el))).toBe('m1'));
    expect(tabStops(el).map(textOf)).toEqual(['m1']);
    expect(quote().textContent?.trim()).toBe('in reply to Bot: m1');
  });

  it('a quote whose original is no longer in the history says so', async () => {
    // The memory store keeps 6 messages: the original is dropped when its reply is stored.
    const { url, chat } = await startChat({ store: new MemoryStore({ maxMessagesPerRoom: 6 }), limits: { defaultHistoryPage: 3 } });
    const bot = { id: 'bot', name: 'Bot' };
    const original = await chat.sendMessage('k', { user: bot, text: 'm1' });
    for (let i = 2; i <= 6; i++) await chat.sendMessage('k', { user: bot, text: `m${i}` });
    await chat.sendMessage('k', { user: { id: 'eva', name: 'Eva' }, text: 'about m1', replyTo: original.id });
    const el = mount('k', sdkClient(url, { auth: { name: 'Ana' } }));
    await waitFor(() => expect(articles(el)).toHaveLength(3));
    articles(el).at(-1)!.querySelector<HTMLButtonElement>('[part=reply]')!.click();
    const note = () => root(el).querySelector('.note');
    await waitFor(() => expect(note()?.textContent).toBe('The original message is no longer in the history.'));
    expect(note()?.getAttribute('role')).toBe('status');
    expect(articles(el).map(textOf)).toEqual(['m2', 'm3', 'm4', 'm5', 'm6', 'about m1']); // it loaded all there is
  });

  it('an edit keeps the mentions whose @Name is still in the text, not one that only starts a longer name', async () => {
    const { ana, url } = await roomWith([]);
    const luis = await sdkClient(url, { auth: { name: 'Luis' } }).join('k');
    await sdkClient(url, { auth: { name: 'Luisa' } }).join('k');
    const el = mount('k', ana);
    await waitFor(() => expect(el.chatRoom?.members).toHaveLength(3));
    await el.chatRoom!.send({ text: 'hey @Luis', mentions: [luis.self!.id] });
    await waitFor(() => expect(articles(el)).toHaveLength(1));
    await waitFor(() => expect(root(el).querySelector('.actions')).not.toBeNull()); // chat-room.message-tools.js is in
    const edit = async (text: string) => {
      articles(el)[0]!.focus();
      await press(el, 'Enter');
      articles(el)[0]!.querySelector<HTMLButtonElement>('.actions [aria-label=Edit]')!.click();
      await waitFor(() => expect(focused(el)?.classList.contains('edit-box')).toBe(true));
      (focused(el) as HTMLTextAreaElement).value = text;
      await press(el, 'Enter');
      await waitFor(() => expect(el.chatRoom?.messages[0]?.text).toBe(text));
      return el.chatRoom!.messages[0]!.mentions ?? [];
    };
    expect(await edit('hey @Luis, and you')).toEqual([luis.self!.id]);
    expect(await edit('hey @Luisa')).toEqual([]);
  });

  it('Edit turns the message into a text box (Escape cancels), Delete asks first (Escape cancels), React opens the emoji choice', async () => {
    const { ana } = await roomWith([]);
    const el = mount('k', ana);
    await waitFor(() => expect(el.chatRoom).toBeDefined());
    await el.chatRoom!.send('typo hree');
    await waitFor(() => expect(articles(el)).toHaveLength(1));
    await waitFor(() => expect(root(el).querySelector('.actions')).not.toBeNull()); // chat-room.message-tools.js is in
    const mine = articles(el)[0]!;
    // What they open is a chunk (chat-room.message-tools.js), loaded by the first: it opens, with focus in it, once that is in.
    const open = async (label: string, opened: string) => {
      mine.focus();
      await press(el, 'Enter');
      mine.querySelector<HTMLButtonElement>(`.actions [aria-label=${label}]`)!.click();
      await waitFor(() => expect(focused(el)?.closest(opened)).not.toBeNull());
    };

    await open('Edit', '.edit-box');
    const box = focused(el) as HTMLTextAreaElement;
    expect(box.classList.contains('edit-box')).toBe(true);
    expect(box.value).toBe('typo hree');
    expect(box.getAttribute('aria-label')).toBe('Edit message');
    expect(root(el).getElementById(box.getAttribute('aria-describedby')!)?.textContent).toBe('Enter saves, Escape cancels.');
    expect(mine.querySelector('.actions')).toBeNull();
    await press(el, 'Escape');
    expect(mine.querySelector('.edit-box')).toBeNull();
    expect(focused(el)).toBe(mine);
    expect(textOf(mine)).toBe('typo hree');

    await open('Delete', '.confirm');
    const confirm = mine.querySelector('.confirm');
    expect(confirm?.getAttribute('role')).toBe('group');
    expect(root(el).getElementById(confirm!.getAttribute('aria-labelledby')!)?.textContent).toBe('Delete this message for everyone?');
    expect(focused(el)?.textContent).toBe('Cancel');
    await press(el, 'Escape');
    expect(mine.querySelector('.confirm')).toBeNull();
    expect(focused(el)).toBe(mine);

    await open('React', '.emoji-choice');
    const choice = mine.querySelector('.emoji-choice')!;
    expect(choice.getAttribute('aria-label')).toBe('Choose a reaction');
    expect(choice.querySelectorAll('button').length).toBeGreaterThanOrEqual(12);
    expect(focused(el)?.textContent?.trim()).toBe('👍');
    await press(el, 'ArrowRight');
    expect(focused(el)?.textContent?.trim()).toBe('❤️');
    await press(el, 'ArrowDown');
    expect(focused(el)?.textContent?.trim()).toBe('👏');
    await press(el, 'Escape');
    expect(mine.querySelector('.emoji-choice')).toBeNull();
    expect(focused(el)).toBe(mine);
  });
});

describe('<chat-room> composer: @ offers the people here (jsdom)', () => {
  it('filters as you type, arrows move, Enter puts @Name in the text; the text box points at the option', async () => {
    const { url, ana } = await roomWith([]);
    for (const name of ['Luis', 'Lucía', 'Bea']) await sdkClient(url, { auth: { name } }).join('k');
    const el = mount('k', ana);
    await waitFor(() => expect(el.chatRoom?.members).toHaveLength(4));
    const box = await type(el, 'hi @lu');
    const options = () =>
      Array.from(root(el).querySelectorAll('[role=option]')).map((o) => o.querySelector('span:not([aria-hidden])')?.textContent);
    // The lists are a chunk (chat-room.pickers.js), loaded by the first `@`: they open once it is in.
    await waitFor(() => expect(root(el).querySelector('[role=listbox]')?.getAttribute('aria-label')).toBe('People to mention'));
    expect(options()).toEqual(['Lucía', 'Luis']);
    expect(box.getAttribute('aria-controls')).toBe('mentions');
    expect(box.getAttribute('aria-autocomplete')).toBe('list');
    expect(box.getAttribute('aria-activedescendant')).toBe('mention-0');
    await press(el, 'ArrowDown');
    expect(box.getAttribute('aria-activedescendant')).toBe('mention-1');
    expect(root(el).querySelector('#mention-1')?.getAttribute('aria-selected')).toBe('true');
    expect((await press(el, 'Enter')).defaultPrevented).toBe(true);
    expect(box.value).toBe('hi @Luis ');
    expect(root(el).querySelector('[role=listbox]')).toBeNull();
    expect(box.hasAttribute('aria-activedescendant')).toBe(false);
    expect(el.chatRoom?.outbox).toHaveLength(0); // Enter chose a name: nothing was sent

    await type(el, '@zz');
    expect(root(el).querySelector('[role=listbox]')).toBeNull();
    await type(el, ' @b');
    expect(options()).toEqual(['Bea']);
    await press(el, 'Escape');
    expect(root(el).querySelector('[role=listbox]')).toBeNull();
    expect(box.value).toBe('hi @Luis @zz @b');
  });
});
