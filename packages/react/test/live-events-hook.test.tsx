// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { pins, polls, questions, type ChatServerOptions } from '@chat/server';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { waitFor } from '../../../test-support/wait.js';
import { ChatProvider, useChatRoom, type UseChatRoomResult } from '../src/index.js';
import { mount } from './react-support.js';

// useChatRoom's live events: the room's pinned messages, your poll choices and your upvotes, kept
// current in the snapshot (a change made on another device of yours too), on a real server with
// the pins(), polls() and questions() plugins.

const byToken: ChatServerOptions['authenticate'] = (h) => ({ id: String(h.auth['token']), name: String(h.auth['token']) });

function View({ seen }: { seen: { current?: UseChatRoomResult } }) {
  const result = useChatRoom('hall');
  seen.current = result;
  return (
    <section data-state={result.state}>
      <p className="pinned">{result.pinned.map((m) => m.text).join(',')}</p>
      <p className="upvotes">{result.myUpvotes.length}</p>
      <p className="votes">{Object.values(result.myVotes).flat().join(',')}</p>
    </section>
  );
}

describe('useChatRoom and live events', () => {
  it('gives the pinned messages, your poll choices and your upvotes, and follows each change', async () => {
    const { url } = await startChat({ authenticate: byToken, ownerOnJoin: true, plugins: [pins(), polls(), questions()] });
    // Ana owns the room (she joined first); Rea watches it in React, and has a phone.
    const ana = await sdkClient(url, { auth: { token: 'ana' } }).join('hall');
    const rea = sdkClient(url, { auth: { token: 'rea' } });
    const phone = await sdkClient(url, { auth: { token: 'rea' } }).join('hall');
    const seen: { current?: UseChatRoomResult } = {};
    const view = mount(
      <ChatProvider client={rea}>
        <View seen={seen} />
      </ChatProvider>,
    );
    const text = (selector: string) => view.container.querySelector(selector)?.textContent;
    await waitFor(() => expect(seen.current?.state).toBe('joined'));
    expect([seen.current?.pinned, seen.current?.myUpvotes, seen.current?.myVotes]).toEqual([[], [], {}]);

    const rules = await ana.send('Be kind');
    await ana.pins.add(rules.id);
    await waitFor(() => expect(text('.pinned')).toBe('Be kind'));

    const question = await ana.questions.ask('Slides?');
    await phone.questions.upvote(question.id); // on Rea's other device
    await waitFor(() => expect(text('.upvotes')).toBe('1'));

    const poll = await ana.polls.create({ question: 'Lunch?', options: ['Pizza', 'Sushi'] });
    const sushi = poll.poll?.options[1]?.id ?? '';
    await seen.current?.room?.polls.vote(poll.id, [sushi]);
    await waitFor(() => expect(text('.votes')).toBe(sushi));
    // Nothing else changed: the lists keep their identity.
    const before = seen.current!;
    await ana.send('and now?');
    await waitFor(() => expect(seen.current?.messages.length).toBeGreaterThan(before.messages.length));
    expect(seen.current?.pinned).toBe(before.pinned);
    expect(seen.current?.myUpvotes).toBe(before.myUpvotes);
    expect(seen.current?.myVotes).toBe(before.myVotes);

    await ana.pins.remove(rules.id);
    await waitFor(() => expect(text('.pinned')).toBe(''));
  });

  it('gives your questions waiting for approval and the room’s count of them', async () => {
    const { url } = await startChat({ authenticate: byToken, ownerOnJoin: true, plugins: [questions({ approval: true })] });
    const ana = await sdkClient(url, { auth: { token: 'ana' } }).join('hall');
    const rea = sdkClient(url, { auth: { token: 'rea' } });
    const seen: { current?: UseChatRoomResult } = {};
    mount(
      <ChatProvider client={rea}>
        <View seen={seen} />
      </ChatProvider>,
    );
    await waitFor(() => expect(seen.current?.state).toBe('joined'));
    expect([seen.current?.myPendingQuestions, seen.current?.pendingQuestions]).toEqual([[], 0]);
    const asked = await seen.current!.room!.questions.ask('Slides?');
    await waitFor(() => expect(seen.current?.myPendingQuestions.map((q) => q.text)).toEqual(['Slides?']));
    await waitFor(() => expect(seen.current?.pendingQuestions).toBe(1));
    await ana.questions.review(asked.id, true);
    await waitFor(() => expect([seen.current?.myPendingQuestions, seen.current?.pendingQuestions]).toEqual([[], 0]));
    await waitFor(() => expect(seen.current?.messages.map((m) => m.text)).toEqual(['Slides?']));
  });
});
