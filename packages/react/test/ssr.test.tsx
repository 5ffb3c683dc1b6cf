import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ChatClient } from '@chat/client';
import { ChatProvider, ChatRoom, useChatClient, useChatRoom } from '../src/index.js';

function Page({ seen }: { seen: { client?: ChatClient } }) {
  seen.client = useChatClient();
  const { state, messages } = useChatRoom('lobby');
  return (
    <main data-state={state} data-messages={messages.length}>
      <ChatRoom room="lobby" theme="dark" />
    </main>
  );
}

// Server rendering (Next.js and the like): no DOM, no effects. Nothing may connect or join.
describe('@chat/react on a server', () => {
  it('renders the idle room and the <chat-room> tag without connecting', () => {
    const seen: { client?: ChatClient } = {};
    const html = renderToString(
      <ChatProvider options={{ url: 'http://127.0.0.1:9', auth: { name: 'Rea' } }}>
        <Page seen={seen} />
      </ChatProvider>,
    );
    expect(html).toContain('data-state="joining"');
    expect(html).toContain('data-messages="0"');
    // Its attributes and properties are set in the browser, as the element hydrates.
    expect(html).toContain('<chat-room></chat-room>');
    expect(seen.client?.socket.active).toBe(false);
    expect(seen.client?.rooms).toEqual([]);
  });
});
