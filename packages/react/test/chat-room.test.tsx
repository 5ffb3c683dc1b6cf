// @vitest-environment jsdom
import { createRef } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { waitFor } from '../../../test-support/wait.js';
import { ChatProvider, ChatRoom, ChatRoomElement, useChatRoom, type ChatJoinEvent, type ChatMessageEvent } from '../src/index.js';
import { mount, presenceLog, socketsInRoom } from './react-support.js';

// Node resolves @lit/react to its server build (no props are set on the element there); jsdom
// stands for a browser, so load the browser build, as a browser bundle would.
vi.mock('@lit/react', () => import('../../../node_modules/@lit/react/development/index.js'));

/** Every ChatClient made in this file (the widget's own included), with the guest name it signs in with. */
const created = vi.hoisted(() => [] as Array<{ name: string | undefined; client: { readonly state: string } }>);
vi.mock('@chat/client', async (importOriginal) => {
  const sdk = await importOriginal<typeof import('@chat/client')>();
  class RecordedClient extends sdk.ChatClient {
    constructor(options: ConstructorParameters<typeof sdk.ChatClient>[0] = {}) {
      super(options);
      created.push({ name: options.auth && 'name' in options.auth ? options.auth.name : undefined, client: this });
    }
  }
  return { ...sdk, ChatClient: RecordedClient };
});

function RoomState({ roomId }: { roomId: string }) {
  const { state } = useChatRoom(roomId);
  return <p data-hook-state={state} />;
}

describe('<ChatRoom>', () => {
  it('registers <chat-room>, sets its attributes and properties from props, and calls onChat... props with its events', async () => {
    const { url } = await startChat();
    const ana = await sdkClient(url, { auth: { name: 'Ana' } }).join('lobby');
    const onJoin = vi.fn<(event: ChatJoinEvent) => void>();
    const onMessage = vi.fn<(event: ChatMessageEvent) => void>();
    const ref = createRef<ChatRoomElement>();
    mount(
      <ChatRoom
        ref={ref}
        server={url}
        room="lobby"
        name="Rea"
        theme="dark"
        heading="The lobby"
        strings={{ send: 'Post' }}
        className="chat"
        onChatJoin={onJoin}
        onChatMessage={onMessage}
      />,
    );
    expect(customElements.get('chat-room')).toBe(ChatRoomElement);
    const element = ref.current!;
    expect(element).toBeInstanceOf(ChatRoomElement);
    expect(element.getAttribute('class')).toBe('chat');
    expect(element.room).toBe('lobby');
    expect(element.strings).toEqual({ send: 'Post' });
    await waitFor(() => expect(onJoin).toHaveBeenCalledTimes(1));
    expect(onJoin.mock.calls[0]![0].detail.roomId).toBe('lobby');
    expect(element.getAttribute('theme')).toBe('dark');
    await waitFor(() => expect(ana.members.map((m) => m.name).sort()).toEqual(['Ana', 'Rea']));
    await ana.send('hola');
    await waitFor(() => expect(onMessage.mock.calls.map(([e]) => e.detail.message.text)).toEqual(['hola']));
    expect(onMessage.mock.calls[0]![0].detail.own).toBe(false);
  });

  it('on unmount, its own connection closes and the removed element makes no other', async () => {
    const { url } = await startChat({ presenceCoalesceMs: 10 });
    const ana = await sdkClient(url, { auth: { name: 'Ana' } }).join('lobby');
    const onJoin = vi.fn();
    const ref = createRef<ChatRoomElement>();
    const view = mount(<ChatRoom ref={ref} server={url} room="lobby" name="Wid" onChatJoin={onJoin} />);
    const element = ref.current!;
    await waitFor(() => expect(onJoin).toHaveBeenCalledTimes(1));
    await waitFor(() => expect(ana.members.map((m) => m.name)).toContain('Wid'));
    const left = new Promise<string[]>((resolve) => ana.on('presence', ({ left }) => left.length > 0 && resolve(left.map((m) => m.name))));
    view.unmount();
    expect(await left).toEqual(['Wid']);
    // The render the widget scheduled while it was taken out has run: it made no new client.
    await element.updateComplete;
    expect(created.filter((c) => c.name === 'Wid').map((c) => c.client.state)).toEqual(['disconnected']);
  });

  it('with the provider client, keeps a room it shares with useChatRoom joined until both are gone', async () => {
    const { chat, url } = await startChat({ presenceCoalesceMs: 10 });
    const log = presenceLog(chat);
    const rea = sdkClient(url, { auth: { name: 'Rea' } });
    const view = mount(
      <ChatProvider client={rea}>
        <ChatRoom client={rea} room="lobby" />
        <RoomState roomId="lobby" />
      </ChatProvider>,
    );
    await waitFor(() => expect(view.container.querySelector('[data-hook-state]')?.getAttribute('data-hook-state')).toBe('joined'));
    await waitFor(() => expect(view.container.querySelector('chat-room')?.chatRoom?.state).toBe('joined'));
    expect(socketsInRoom(chat, 'lobby', 'Rea')).toBe(1);

    // The hook goes, the widget stays: still in the room.
    view.render(
      <ChatProvider client={rea}>
        <ChatRoom client={rea} room="lobby" />
      </ChatProvider>,
    );
    const message = await rea.getRoom('lobby')!.send('still in');
    expect(message.text).toBe('still in');
    expect(log.leaves('lobby', 'Rea')).toBe(0);
    expect(view.container.querySelector('chat-room')?.chatRoom?.state).toBe('joined');

    // The widget goes (it leaves its room), the hook is back: the hook's room is joined.
    view.render(
      <ChatProvider client={rea}>
        <RoomState roomId="lobby" />
      </ChatProvider>,
    );
    await waitFor(() => expect(rea.getRoom('lobby')?.state).toBe('joined'));
    await waitFor(() => expect(socketsInRoom(chat, 'lobby', 'Rea')).toBe(1));
    expect(view.container.querySelector('[data-hook-state]')?.getAttribute('data-hook-state')).toBe('joined');

    view.unmount();
    await waitFor(() => expect(socketsInRoom(chat, 'lobby', 'Rea')).toBe(0));
  });
});
