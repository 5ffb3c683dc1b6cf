// @vitest-environment jsdom
// The widget's everyday polish and its teardown: the header's title, the people panel (status,
// close), join and leave lines that a reconnect does not repeat, a widget taken out of the page
// that stays out (no new connection, no room left joined on the page's client), and the focus after
// the name prompt.
import { describe, expect, it, vi } from 'vitest';
import { ChatClient } from '@chat/client';
import { Gate } from '../../../../test-support/gate.js';
import { restartChat, sdkClient, startChat, track } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';
import './chat-room.js';
import type { ChatRoomElement } from './chat-room.component.js';

function mount(attrs: Record<string, string>, client?: ChatClient): ChatRoomElement {
  const el = document.createElement('chat-room');
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (client) el.client = client;
  document.body.append(el);
  track(() => el.remove());
  return el;
}
const shadow = (el: ChatRoomElement) => el.shadowRoot as ShadowRoot;
/** The notices in the log, in order. */
const notices = (el: ChatRoomElement) => Array.from(shadow(el).querySelectorAll('[role=log] [part=notice]')).map((n) => n.textContent);

describe('<chat-room> header and people panel (jsdom)', () => {
  it("shows the room's title in the header, and its id when it has none", async () => {
    const { url, chat } = await startChat();
    await chat.createRoom({ id: 'cita-42', title: 'Consulta con la Dra. Ruiz' });
    const titled = mount({ server: url, room: 'cita-42', name: 'Ana' });
    await waitFor(() => expect(shadow(titled).querySelector('header h2')?.textContent).toBe('Consulta con la Dra. Ruiz'));
    expect(shadow(titled).querySelector('section')?.getAttribute('aria-label')).toBe('Consulta con la Dra. Ruiz');
    const plain = mount({ server: url, room: 'lobby', name: 'Luis' });
    await waitFor(() => expect(plain.chatRoom?.state).toBe('joined'));
    expect(shadow(plain).querySelector('header h2')?.textContent).toBe('lobby');
  });

  it("lists each person's status and status text; the close button and Escape hide it, focus back on the toggle", async () => {
    const { url } = await startChat({ ownerOnJoin: true });
    const luis = sdkClient(url, { auth: { name: 'Luis' } });
    await luis.join('r');
    await luis.setStatus('busy', 'In a meeting until 3');
    const el = mount({ server: url, room: 'r', name: 'Ana', lang: 'es' });
    await waitFor(() => expect(el.chatRoom?.members).toHaveLength(2));
    const toggle = shadow(el).querySelector('header button') as HTMLButtonElement;
    toggle.click();
    await el.updateComplete;
    const panel = () => shadow(el).querySelector('#members');
    // Each person as name and status line (the avatar's initials left out).
    const people = () =>
      Array.from(panel()?.querySelectorAll('.who') ?? []).map((who) =>
        Array.from(who.children)
          .map((line) => line.textContent?.trim())
          .join(' '),
      );
    // Luis created the room: its owner (ownerOnJoin).
    await waitFor(() =>
      expect(people()).toEqual(expect.arrayContaining(['Ana (Tú) Conectado', 'Luis · propietario Ocupado · In a meeting until 3'])),
    );
    expect(panel()?.querySelector('.dot.busy')).not.toBeNull();
    expect(panel()?.getAttribute('role')).toBe('region');
    expect(panel()?.getAttribute('aria-labelledby')).toBe('members-title');

    // Status changes show as they happen.
    await luis.setStatus('away');
    await waitFor(() => expect(people()).toContain('Luis · propietario Ausente'));

    const close = panel()?.querySelector('button') as HTMLButtonElement;
    expect(close.getAttribute('aria-label')).toBe('Ocultar personas presentes');
    close.click();
    await el.updateComplete;
    expect(panel()).toBeNull();
    expect(shadow(el).activeElement).toBe(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');

    // Escape closes the panel and goes no further: a host's <dialog> around the widget stays open.
    const reachedPage: string[] = [];
    const onPage = (event: KeyboardEvent) => reachedPage.push(event.key);
    document.addEventListener('keydown', onPage);
    const escape = () => new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true, cancelable: true });
    toggle.click();
    await el.updateComplete;
    const inPanel = escape();
    panel()?.querySelector('li')?.dispatchEvent(inPanel);
    await el.updateComplete;
    expect(panel()).toBeNull();
    expect(shadow(el).activeElement).toBe(toggle);

    // Escape on the toggle itself (focus stays there when it opens) closes it too.
    toggle.click();
    await el.updateComplete;
    const onToggle = escape();
    toggle.dispatchEvent(onToggle);
    await el.updateComplete;
    expect(panel()).toBeNull();
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect([inPanel.defaultPrevented, onToggle.defaultPrevented, reachedPage]).toEqual([true, true, []]);
    // With the panel closed, Escape on the toggle is the page's.
    toggle.dispatchEvent(escape());
    expect(reachedPage).toEqual(['Escape']);
    document.removeEventListener('keydown', onPage);
  });
});

describe('<chat-room> join and leave lines across a reconnect (jsdom)', () => {
  it('a reconnect says nothing of the people who were there before; someone new gets a line', async () => {
    // Ana's re-join is held at the server while the room changes under her.
    const gate = new Gate();
    let anaJoins = 0;
    const { url, chat } = await startChat({
      presenceCoalesceMs: 10,
      authorize: async (action, ctx) => {
        if (action === 'room:join' && ctx.user.name === 'Ana') {
          anaJoins++;
          await gate.wait();
        }
        return true;
      },
    });
    const luisAuth = { name: 'Luis', guestKey: 'luis-guest-key-0001' }; // the same user on his next connection
    const luis = sdkClient(url, { auth: luisAuth });
    await luis.join('r');
    const el = mount({ server: url, room: 'r', name: 'Ana' });
    await waitFor(() => expect(el.chatRoom?.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']));
    const eva = sdkClient(url, { auth: { name: 'Eva' } });
    const evaRoom = await eva.join('r');
    await waitFor(() => expect(notices(el)).toEqual(['Eva joined']));

    // Ana's connection drops; while she is away Luis goes (he will be back) and Marta comes in.
    gate.close();
    [...chat.io.of('/').sockets.values()].find((s) => s.handshake.auth['name'] === 'Ana')?.disconnect(true);
    await waitFor(() => expect(anaJoins).toBe(2));
    luis.close();
    await sdkClient(url, { auth: { name: 'Marta' } }).join('r');
    await waitFor(() => expect(evaRoom.members.map((m) => m.name).sort()).toEqual(['Eva', 'Marta'])); // Ana is not back in yet
    gate.open();
    await waitFor(() => expect(el.chatRoom?.members.map((m) => m.name).sort()).toEqual(['Ana', 'Eva', 'Marta']));

    // Luis is back, then Pablo comes in.
    await sdkClient(url, { auth: luisAuth }).join('r');
    await sdkClient(url, { auth: { name: 'Pablo' } }).join('r');
    await waitFor(() => expect(el.chatRoom?.members.map((m) => m.name).sort()).toEqual(['Ana', 'Eva', 'Luis', 'Marta', 'Pablo']));
    // Marta came while Ana was away and Pablo after: news. Luis was there before: nothing about him.
    await waitFor(() => expect(notices(el)).toEqual(['Eva joined', 'Marta joined', 'Pablo joined']));

    // From then on, a real leave says so as always.
    eva.close();
    await waitFor(() => expect(notices(el).at(-1)).toBe('Eva left'));
  });

  it('after a server restart that started the history over, the people who come back get no line either', async () => {
    const first = await startChat({ presenceCoalesceMs: 10 });
    const luisAuth = { name: 'Luis', guestKey: 'luis-guest-key-0002' };
    const luis = sdkClient(first.url, { auth: luisAuth });
    const luisRoom = await luis.join('r');
    const el = mount({ server: first.url, room: 'r', name: 'Ana' });
    await waitFor(() => expect(el.chatRoom?.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']));
    await first.chat.sendMessage('r', { user: { id: 'bot', name: 'Bot' }, text: 'old' });
    await waitFor(() => expect(luisRoom.messages.map((m) => m.text)).toEqual(['old']));

    // The memory store restarts empty; Luis is back after Ana (his join waits until she is in).
    const gate = new Gate();
    gate.close();
    const second = await restartChat(first, {
      presenceCoalesceMs: 10,
      authorize: async (action, ctx) => {
        if (action === 'room:join' && ctx.user.name === 'Luis') await gate.wait();
        return true;
      },
    });
    const reset = 'The chat history was reset on the server. Earlier messages are no longer available.';
    await waitFor(() => expect(notices(el)).toContain(reset), { timeout: 15_000 });
    await waitFor(() => expect(el.chatRoom?.state).toBe('joined'));
    gate.open();
    await waitFor(() => expect(luisRoom.state).toBe('joined'), { timeout: 15_000 });
    await waitFor(() => expect(el.chatRoom?.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis']));
    // Someone new after the restart is news.
    await sdkClient(second.url, { auth: { name: 'Marta' } }).join('r');
    await waitFor(() => expect(el.chatRoom?.members.map((m) => m.name).sort()).toEqual(['Ana', 'Luis', 'Marta']));
    await waitFor(() => expect(notices(el).filter((n) => n !== reset)).toEqual(['Marta joined']));
  });
});

describe('<chat-room> taken out of the page (jsdom)', () => {
  it('does not connect again (the update that follows its teardown finds it out of the page)', async () => {
    const { url, chat } = await startChat();
    const el = mount({ server: url, room: 'r', name: 'Ana' });
    await waitFor(() => expect(el.chatRoom?.state).toBe('joined'));
    const joins = vi.spyOn(ChatClient.prototype, 'join');
    track(() => joins.mockRestore());

    el.remove();
    await el.updateComplete;
    expect(joins).not.toHaveBeenCalled(); // a new connection would join the room
    await waitFor(() => expect([...chat.io.of('/').sockets.values()].filter((s) => s.handshake.auth['name'] === 'Ana')).toEqual([]));

    // Put back, it connects and joins again.
    document.body.append(el);
    await waitFor(() => expect(el.chatRoom?.state).toBe('joined'));
  });

  it("leaves a room the page's client was still joining when the widget was taken out", async () => {
    const gate = new Gate();
    const asked: string[] = [];
    const { url, chat } = await startChat({
      authorize: async (action, ctx) => {
        if (action === 'room:join' && ctx.user.name === 'Ana') {
          asked.push(ctx.roomId);
          await gate.wait();
        }
        return true;
      },
    });
    const client = sdkClient(url, { auth: { name: 'Ana' } });
    await client.join('other'); // the page uses its client for more than the widget
    gate.close();
    const el = mount({ room: 'r' }, client);
    await waitFor(() => expect(asked).toEqual(['other', 'r']));
    el.remove();
    gate.open();
    await waitFor(() => expect(client.getRoom('r')).toBeUndefined());
    await waitFor(() => expect([...(chat.io.of('/').adapter.rooms.get('r') ?? [])]).toEqual([]));
    expect(client.getRoom('other')?.state).toBe('joined');
    expect(client.state).toBe('connected');
  });

  it('leaves the room it was joining when the room attribute changes meanwhile, and shows the new one', async () => {
    const gate = new Gate();
    const { url } = await startChat({
      authorize: async (action, ctx) => {
        if (action === 'room:join' && ctx.roomId === 'slow') await gate.wait();
        return true;
      },
    });
    const client = sdkClient(url, { auth: { name: 'Ana' } });
    gate.close();
    const el = mount({ room: 'slow' }, client);
    await waitFor(() => expect(client.rooms.map((r) => r.id)).toEqual(['slow']));
    el.setAttribute('room', 'fast');
    await waitFor(() => expect(el.chatRoom?.id).toBe('fast'));
    gate.open();
    await waitFor(() => expect(client.rooms.map((r) => r.id)).toEqual(['fast']));
  });
});

// The composer takes the focus after a name typed in the prompt is accepted (the prompt had it). It
// must not take it later, from whatever the visitor is using on the page by then (found in review).
const submitName = async (el: ChatRoomElement, name: string) => {
  await waitFor(() => expect(shadow(el).querySelector('input#name')).not.toBeNull());
  shadow(el).querySelector<HTMLInputElement>('input#name')!.value = name;
  shadow(el).querySelector('form')!.requestSubmit();
};
/** A control of the page itself, focused (the visitor moved on). */
const pageButton = () => {
  const button = document.createElement('button');
  button.textContent = 'page control';
  document.body.append(button);
  track(() => button.remove());
  button.focus();
  return button;
};

describe('focus to the composer after the name prompt', () => {
  it('a join refused (private room) does not leave the focus armed: the page switching room later keeps its focus', async () => {
    const { url } = await startChat({ authorize: (action, ctx) => !(action === 'room:join' && ctx.roomId === 'secret') });
    const el = mount({ server: url, room: 'secret' });
    await submitName(el, 'Ana');
    const errors: string[] = [];
    el.addEventListener('chat-error', (e) => errors.push((e as CustomEvent<{ error: { code: string } }>).detail.error.code));
    await waitFor(() => expect(errors).toEqual(['FORBIDDEN']));
    // The visitor works on the page; later the page shows another room in the widget.
    const button = pageButton();
    el.room = 'lobby';
    await waitFor(() => expect(el.chatRoom?.state).toBe('joined'));
    await el.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(document.activeElement === button ? 'page button' : `widget #${shadow(el).activeElement?.id}`).toBe('page button');
  });

  it('a slow join does not pull the focus from where the visitor put it meanwhile', async () => {
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const { url } = await startChat({
      authorize: async (action) => {
        if (action === 'room:join') await held;
        return true;
      },
    });
    const el = mount({ server: url, room: 'r' });
    await submitName(el, 'Ana');
    await waitFor(() => expect(shadow(el).querySelector('textarea#input')).not.toBeNull());
    // "Connecting…": the visitor goes back to the page's own form while the join waits.
    const button = pageButton();
    release();
    await waitFor(() => expect(el.chatRoom?.state).toBe('joined'));
    await el.updateComplete;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(document.activeElement === button ? 'page button' : `widget #${shadow(el).activeElement?.id}`).toBe('page button');
  });
});
