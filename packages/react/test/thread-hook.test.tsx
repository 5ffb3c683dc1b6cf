// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { waitFor } from '../../../test-support/wait.js';
import { ChatProvider, useChatRoom, useThread, type UseThreadResult } from '../src/index.js';
import { mount } from './react-support.js';

/** A thread view built on the hooks; `seen` gets the thread hook's latest result. */
function ThreadView({ roomId, parentId, seen }: { roomId: string; parentId: string | undefined; seen: { current?: UseThreadResult } }) {
  const { room } = useChatRoom(roomId);
  const result = useThread(room, parentId);
  seen.current = result;
  return (
    <section data-loaded={String(result.loaded)}>
      <p className="count">{result.summary?.replyCount ?? 0}</p>
      <ul className="replies">
        {result.messages.map((m) => (
          <li key={m.id}>{`${m.user.name}: ${m.text}`}</li>
        ))}
      </ul>
      <p className="error">{result.error?.code ?? ''}</p>
    </section>
  );
}

const texts = (container: HTMLElement, selector: string) => Array.from(container.querySelectorAll(selector), (n) => n.textContent);

describe('useThread', () => {
  it('shows a thread live both ways, its count, older pages, and no thread without an id', async () => {
    const { url, chat } = await startChat({ limits: { defaultHistoryPage: 2 } });
    const ana = await sdkClient(url, { auth: { name: 'Ana' } }).join('lobby');
    const parent = await ana.send('Lunch?');
    const bot = { id: 'bot', name: 'Bot' };
    for (const text of ['one', 'two', 'three']) await chat.sendMessage('lobby', { user: bot, text, threadOf: parent.id });
    const rea = sdkClient(url, { auth: { name: 'Rea' } });
    const seen: { current?: UseThreadResult } = {};
    const view = mount(
      <ChatProvider client={rea}>
        <ThreadView roomId="lobby" parentId={undefined} seen={seen} />
      </ChatProvider>,
    );
    expect(seen.current?.thread).toBeUndefined();
    await expect(seen.current!.send('nowhere')).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });

    view.render(
      <ChatProvider client={rea}>
        <ThreadView roomId="lobby" parentId={parent.id} seen={seen} />
      </ChatProvider>,
    );
    await waitFor(() => expect(texts(view.container, '.replies li')).toEqual(['Bot: two', 'Bot: three']));
    expect(view.container.querySelector('[data-loaded]')?.getAttribute('data-loaded')).toBe('true');
    await waitFor(() => expect(seen.current?.hasMoreHistory).toBe(true));
    await seen.current!.loadOlder();
    await waitFor(() => expect(texts(view.container, '.replies li')).toEqual(['Bot: one', 'Bot: two', 'Bot: three']));

    const anaThread = ana.thread(parent.id);
    await anaThread.ready();
    await anaThread.send('Noon works');
    await waitFor(() => expect(texts(view.container, '.replies li').at(-1)).toBe('Ana: Noon works'));
    await waitFor(() => expect(texts(view.container, '.count')).toEqual(['4']));

    const reply = await seen.current!.send('See you there');
    expect(reply.threadOf).toBe(parent.id);
    await waitFor(() => expect(anaThread.messages.map((m) => m.text).at(-1)).toBe('See you there'));
    await waitFor(() => expect(texts(view.container, '.count')).toEqual(['5']));
    expect(seen.current?.outbox).toEqual([]);
    // Rea takes part now: Ana's next reply is unread for her until she marks the thread read.
    expect(seen.current?.unread).toBe(0);
    await anaThread.send('Great');
    await waitFor(() => expect(seen.current?.unread).toBe(1));
    await seen.current!.thread!.markRead();
    await waitFor(() => expect(seen.current?.unread).toBe(0));
  });

  it("a thread of an unknown message shows the server's error", async () => {
    const { url } = await startChat();
    const rea = sdkClient(url, { auth: { name: 'Rea' } });
    const seen: { current?: UseThreadResult } = {};
    const view = mount(
      <ChatProvider client={rea}>
        <ThreadView roomId="lobby" parentId="no-such-message" seen={seen} />
      </ChatProvider>,
    );
    await waitFor(() => expect(texts(view.container, '.error')).toEqual(['MESSAGE_NOT_FOUND']));
  });
});
