// @vitest-environment jsdom
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ChatError, ErrorCode, type ChatClient, type ChatRoom as SdkRoom } from '@chat/client';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { waitFor } from '../../../test-support/wait.js';
import { ChatProvider, useChatClient, useChatRoom, type UseChatRoomResult } from '../src/index.js';
import { mount, presenceLog, socketsInRoom, socketsOf } from './react-support.js';

/** A room view built on the hook; `seen` gets the hook's latest result. */
function RoomView({ roomId, seen }: { roomId: string; seen?: { current?: UseChatRoomResult } }) {
  const result = useChatRoom(roomId);
  if (seen) seen.current = result;
  return (
    <section data-room={roomId} data-state={result.state}>
      <ul className="messages">
        {result.messages.map((m) => (
          <li key={m.id}>{`${m.user.name}: ${m.text}`}</li>
        ))}
      </ul>
      <ul className="members">
        {result.members.map((m) => (
          <li key={m.id}>{m.name}</li>
        ))}
      </ul>
      <p className="typing">{result.typing.map((u) => u.name).join(',')}</p>
      <p className="error">{result.error?.code ?? ''}</p>
    </section>
  );
}

const texts = (container: HTMLElement, selector: string) => Array.from(container.querySelectorAll(selector), (n) => n.textContent);

/** A chat server, a Node SDK client "Ana" in `roomId`, and the React user's client "Rea". */
async function setup(roomId = 'lobby') {
  const site = await startChat({ presenceCoalesceMs: 10 });
  const log = presenceLog(site.chat);
  const ana = await sdkClient(site.url, { auth: { name: 'Ana' } }).join(roomId);
  const rea = sdkClient(site.url, { auth: { name: 'Rea' } });
  return { ...site, log, ana, rea };
}

describe('useChatRoom', () => {
  it('in StrictMode joins once (one socket in the room, no leave), shows messages both ways, and leaves on unmount', async () => {
    const { chat, log, ana, rea } = await setup();
    const seen: { current?: UseChatRoomResult } = {};
    const view = mount(
      <StrictMode>
        <ChatProvider client={rea}>
          <RoomView roomId="lobby" seen={seen} />
        </ChatProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(view.container.querySelector('[data-state]')?.getAttribute('data-state')).toBe('joined'));
    await waitFor(() => expect(texts(view.container, '.members li').sort()).toEqual(['Ana', 'Rea']));
    expect(socketsInRoom(chat, 'lobby', 'Rea')).toBe(1);
    expect(log.joins('lobby', 'Rea')).toBe(1);
    expect(log.leaves('lobby', 'Rea')).toBe(0);
    await waitFor(() => expect(ana.members.filter((m) => m.name === 'Rea')).toHaveLength(1));

    await ana.send('hola from Node');
    await waitFor(() => expect(texts(view.container, '.messages li')).toContain('Ana: hola from Node'));
    const stored = await seen.current!.send('hi from React');
    expect(stored.text).toBe('hi from React');
    await waitFor(() => expect(ana.messages.map((m) => m.text)).toContain('hi from React'));
    await waitFor(() => expect(texts(view.container, '.messages li')).toContain('Rea: hi from React'));

    const left = new Promise<string[]>((resolve) => ana.on('presence', ({ left }) => left.length > 0 && resolve(left.map((m) => m.name))));
    view.unmount();
    expect(await left).toEqual(['Rea']);
    await waitFor(() => expect(socketsInRoom(chat, 'lobby', 'Rea')).toBe(0));
    expect(log.joins('lobby', 'Rea')).toBe(1);
    expect(rea.getRoom('lobby')).toBeUndefined();
  });

  it('shares one join between components showing the same room; leaves when the last one goes', async () => {
    const { chat, log, rea } = await setup();
    const both = (
      <ChatProvider client={rea}>
        <RoomView roomId="lobby" />
        <RoomView roomId="lobby" />
      </ChatProvider>
    );
    const view = mount(both);
    await waitFor(() => expect(texts(view.container, '[data-state="joined"] .members li')).toHaveLength(4));
    view.render(
      <ChatProvider client={rea}>
        <RoomView roomId="lobby" />
      </ChatProvider>,
    );
    // Still in: a message sent now reaches the remaining view.
    await rea.getRoom('lobby')!.send('still here');
    await waitFor(() => expect(texts(view.container, '.messages li')).toEqual(['Rea: still here']));
    expect(log.leaves('lobby', 'Rea')).toBe(0);
    expect(rea.getRoom('lobby')?.state).toBe('joined');
    view.render(<ChatProvider client={rea}>{null}</ChatProvider>);
    await waitFor(() => expect(log.leaves('lobby', 'Rea')).toBe(1));
    expect(socketsInRoom(chat, 'lobby', 'Rea')).toBe(0);
    expect(log.joins('lobby', 'Rea')).toBe(1);
  });

  it('keeps the identity of a list until it changes (memoized children skip renders)', async () => {
    const { ana, rea } = await setup();
    const seen: { current?: UseChatRoomResult } = {};
    const view = mount(
      <ChatProvider client={rea}>
        <RoomView roomId="lobby" seen={seen} />
      </ChatProvider>,
    );
    await waitFor(() => expect(texts(view.container, '.members li')).toHaveLength(2));
    const before = seen.current!;
    await ana.send('one');
    await waitFor(() => expect(texts(view.container, '.messages li')).toEqual(['Ana: one']));
    const after = seen.current!;
    expect(after.messages).not.toBe(before.messages);
    // A presence delta may have replaced member objects meanwhile: the list is new exactly when they were.
    const sameMembers = after.members.length === before.members.length && after.members.every((m, i) => m === before.members[i]);
    expect(after.members === before.members).toBe(sameMembers);
    expect(after.typing).toBe(before.typing);
    expect(after.outbox).toBe(before.outbox);
    expect(after.send).toBe(before.send);
  });

  it('follows a new roomId: leaves the old room, joins the new one', async () => {
    const { chat, log, rea } = await setup();
    const view = mount(
      <ChatProvider client={rea}>
        <RoomView roomId="lobby" />
      </ChatProvider>,
    );
    await waitFor(() => expect(socketsInRoom(chat, 'lobby', 'Rea')).toBe(1));
    view.render(
      <ChatProvider client={rea}>
        <RoomView roomId="other" />
      </ChatProvider>,
    );
    await waitFor(() => expect(view.container.querySelector('[data-room="other"]')?.getAttribute('data-state')).toBe('joined'));
    await waitFor(() => expect(log.leaves('lobby', 'Rea')).toBe(1));
    expect(socketsInRoom(chat, 'other', 'Rea')).toBe(1);
    expect(socketsInRoom(chat, 'lobby', 'Rea')).toBe(0);
  });

  it('shows who is typing, and a join the server refuses as an error with state "left"', async () => {
    const site = await startChat({ createRoomsOnJoin: /^open-/u });
    const ana = await sdkClient(site.url, { auth: { name: 'Ana' }, typingThrottleMs: 0 }).join('open-1');
    const rea = sdkClient(site.url, { auth: { name: 'Rea' } });
    const view = mount(
      <ChatProvider client={rea}>
        <RoomView roomId="open-1" />
        <RoomView roomId="closed-1" />
      </ChatProvider>,
    );
    const closed = () => view.container.querySelector('[data-room="closed-1"]')!;
    await waitFor(() => expect(closed().getAttribute('data-state')).toBe('left'));
    expect(closed().querySelector('.error')?.textContent).toBe('ROOM_NOT_FOUND');
    await waitFor(() => expect(view.container.querySelector('[data-room="open-1"]')?.getAttribute('data-state')).toBe('joined'));
    ana.typing();
    await waitFor(() => expect(texts(view.container, '[data-room="open-1"] .typing')).toEqual(['Ana']));
  });

  it('in a large room gives the exact count, a page of members, and how many are typing past the names', async () => {
    const site = await startChat({ largeRoomThreshold: 3, presenceCoalesceMs: 10 });
    const others = await Promise.all(
      ['Ana', 'Bea', 'Ceci', 'Dani', 'Eva'].map((name) => sdkClient(site.url, { auth: { name }, typingThrottleMs: 0 }).join('stage')),
    );
    const seen: { current?: UseChatRoomResult } = {};
    mount(
      <ChatProvider client={sdkClient(site.url, { auth: { name: 'Rea' } })}>
        <RoomView roomId="stage" seen={seen} />
      </ChatProvider>,
    );
    await waitFor(() => expect(seen.current?.memberCount).toBe(6));
    expect(seen.current?.isLarge).toBe(true);
    // The join's first page (up to 50) holds all six here: nothing more to load.
    expect(seen.current?.members.map((m) => m.name).sort()).toEqual(['Ana', 'Bea', 'Ceci', 'Dani', 'Eva', 'Rea']);
    expect(seen.current?.hasMoreMembers).toBe(false);
    // Four typing: the typing event names at most three, the count says four.
    for (const room of others.slice(0, 4)) room.typing();
    await waitFor(() => expect(seen.current?.typingCount).toBe(4));
    expect(seen.current?.typing.length).toBeLessThan(4);
    await others[4]?.leave();
    await waitFor(() => expect(seen.current?.memberCount).toBe(5));
  });

  it('joins again once a refused client connects (a fresh token given with setAuth)', async () => {
    const { chat, url } = await startChat({
      authenticate: (handshake) => {
        if (handshake.auth['token'] !== 'good') throw new ChatError(ErrorCode.UNAUTHENTICATED, 'That token is not valid.');
        return { id: 'rea', name: 'Rea' };
      },
    });
    const rea = sdkClient(url, { auth: { token: 'stale' } });
    const view = mount(
      <ChatProvider client={rea}>
        <RoomView roomId="lobby" />
      </ChatProvider>,
    );
    await waitFor(() => expect(view.container.querySelector('[data-state]')?.getAttribute('data-state')).toBe('left'));
    expect(view.container.querySelector('.error')?.textContent).toBe('UNAUTHENTICATED');
    await rea.setAuth({ token: 'good' });
    await waitFor(() => expect(view.container.querySelector('[data-state]')?.getAttribute('data-state')).toBe('joined'));
    expect(view.container.querySelector('.error')?.textContent).toBe('');
    expect(socketsInRoom(chat, 'lobby', 'Rea')).toBe(1);
  });

  it('joins again when other code on the same client left the room while it is shown', async () => {
    const { chat, rea } = await setup();
    const view = mount(
      <ChatProvider client={rea}>
        <RoomView roomId="lobby" />
      </ChatProvider>,
    );
    await waitFor(() => expect(view.container.querySelector('[data-state]')?.getAttribute('data-state')).toBe('joined'));
    const first: SdkRoom = rea.getRoom('lobby')!;
    await first.leave(); // what a <chat-room> given this client does when it goes away
    await waitFor(() => expect(rea.getRoom('lobby')?.state).toBe('joined'));
    expect(rea.getRoom('lobby')).not.toBe(first);
    await waitFor(() => expect(socketsInRoom(chat, 'lobby', 'Rea')).toBe(1));
    expect(view.container.querySelector('[data-state]')?.getAttribute('data-state')).toBe('joined');
  });

  it('does not join again after the server removed the user', async () => {
    const { chat, rea } = await setup();
    const view = mount(
      <ChatProvider client={rea}>
        <RoomView roomId="lobby" />
      </ChatProvider>,
    );
    await waitFor(() => expect(socketsInRoom(chat, 'lobby', 'Rea')).toBe(1));
    await chat.updateRoom('lobby', { options: { private: true } });
    await waitFor(() => expect(view.container.querySelector('[data-state]')?.getAttribute('data-state')).toBe('left'));
    expect(socketsInRoom(chat, 'lobby', 'Rea')).toBe(0);
    expect(rea.getRoom('lobby')).toBeUndefined();
  });
});

describe('ChatProvider', () => {
  it('with options, makes one client in StrictMode, connects it, and closes it on unmount', async () => {
    const { chat, url } = await startChat();
    let client: ChatClient | undefined;
    function Probe() {
      client = useChatClient();
      return <RoomView roomId="lobby" />;
    }
    const view = mount(
      <StrictMode>
        <ChatProvider options={{ url, auth: { name: 'Rea' }, socketOptions: { transports: ['websocket'] } }}>
          <Probe />
        </ChatProvider>
      </StrictMode>,
    );
    await waitFor(() => expect(view.container.querySelector('[data-state]')?.getAttribute('data-state')).toBe('joined'));
    expect(socketsOf(chat, 'Rea')).toBe(1);
    expect(socketsInRoom(chat, 'lobby', 'Rea')).toBe(1);
    expect(client?.state).toBe('connected');
    view.unmount();
    await waitFor(() => expect(socketsOf(chat, 'Rea')).toBe(0));
    expect(client?.state).toBe('disconnected');
  });

  it('never closes a client it was given', async () => {
    const { url } = await startChat();
    const rea = sdkClient(url, { auth: { name: 'Rea' } });
    const view = mount(
      <ChatProvider client={rea}>
        <RoomView roomId="lobby" />
      </ChatProvider>,
    );
    await waitFor(() => expect(rea.getRoom('lobby')?.state).toBe('joined'));
    view.unmount();
    await waitFor(() => expect(rea.getRoom('lobby')).toBeUndefined());
    expect(rea.state).toBe('connected');
  });

  it('useChatRoom without a provider says what is missing', () => {
    expect(() => renderToString(<RoomView roomId="lobby" />)).toThrow(/need a <ChatProvider> above them/u);
  });
});
