// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { ChatClient } from '@chat/client';
import { startChat, track } from '../../../../test-support/servers.js';
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

describe('<chat-room> rendering (jsdom)', () => {
  it('asks for a name when it has neither name nor token', async () => {
    const el = mount({ room: 'r', lang: 'es' });
    await el.updateComplete;
    expect(shadow(el).querySelector('p')?.textContent).toBe('Elige un nombre para unirte al chat.');
    expect(shadow(el).querySelector('label[for=name]')?.textContent).toBe('Tu nombre');
  });

  it("speaks the page's language when it has no lang of its own", async () => {
    document.documentElement.lang = 'es-MX';
    track(() => void (document.documentElement.lang = ''));
    const el = mount({ room: 'r' });
    await el.updateComplete;
    expect(shadow(el).querySelector('p')?.textContent).toBe('Elige un nombre para unirte al chat.');
  });

  it('renders the room of a client the page already has, as text, and leaves the client open', async () => {
    const { url, chat } = await startChat();
    await chat.sendMessage('jsdom', { user: { id: 'bot', name: 'Bot <i>' }, text: '<img src=x onerror=alert(1)>' });
    const client = new ChatClient({ url, auth: { name: 'Ana' }, socketOptions: { transports: ['websocket'] } });
    track(() => client.close());
    const el = mount({ room: 'jsdom', theme: 'dark' }, client);
    const joined = vi.fn();
    el.addEventListener('chat-join', joined);
    await vi.waitFor(() => expect(shadow(el).querySelector('.message .text')?.textContent).toBe('<img src=x onerror=alert(1)>'));
    expect(shadow(el).querySelector('.message img')).toBeNull();
    expect(shadow(el).querySelector('.name')?.textContent).toBe('Bot <i>');
    expect(shadow(el).querySelector('[role=log]')?.getAttribute('aria-label')).toBe('Messages');
    expect(el.getAttribute('theme')).toBe('dark');
    await vi.waitFor(() => expect(joined).toHaveBeenCalledTimes(1));
    el.remove();
    expect(client.state).not.toBe('disconnected');
  });
});
