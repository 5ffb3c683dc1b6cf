// @vitest-environment jsdom
// The widget's counts beside threads: `chat-unread` counts the room's log (replies only in a
// thread stay out, a reply also in the room counts once), and the badge on a reply count
// counts every reply of the thread you have not read, those also in the room too.
import { describe, expect, it } from 'vitest';
import { ChatClient } from '@chat/client';
import { sdkClient, startChat, track } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';
import './chat-room.js';
import type { ChatRoomElement } from './chat-room.component.js';

describe('<chat-room> unread beside threads (jsdom)', () => {
  it("counts a room's log in chat-unread and every unread reply on the thread's badge", async () => {
    // A hidden page: what arrives stays unread.
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    track(() => void Reflect.deleteProperty(document, 'hidden'));
    const { url } = await startChat();
    const client = new ChatClient({ url, auth: { name: 'Ana' }, socketOptions: { transports: ['websocket'] } });
    track(() => client.close());
    const el: ChatRoomElement = document.createElement('chat-room');
    el.setAttribute('room', 'release');
    el.client = client;
    const unread: number[] = [];
    el.addEventListener('chat-unread', (event) => unread.push(event.detail.count));
    document.body.append(el);
    track(() => el.remove());
    await waitFor(() => expect(el.chatRoom?.state).toBe('joined'));
    const parent = await (el.chatRoom as NonNullable<ChatRoomElement['chatRoom']>).send('Release on Friday?');

    const ben = sdkClient(url, { auth: { name: 'Ben' } });
    const thread = (await ben.join('release')).thread(parent.id);
    await thread.ready();
    await thread.send('Yes');
    await thread.send('After the freeze');
    await thread.send({ text: 'Everyone: Friday', alsoInRoom: true });

    const badge = () => el.shadowRoot?.querySelector('.thread-count .badge b')?.textContent;
    await waitFor(() => expect(badge()).toBe('3'));
    await waitFor(() => expect(unread.at(-1)).toBe(1));
    expect(el.chatRoom?.unreadCount).toBe(1);
  });
});
