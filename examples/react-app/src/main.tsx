import { StrictMode, useState, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { ChatProvider, ChatRoom, useChatClient, useChatRoom } from '@chat/react';

const ROOM = 'lobby';

/** A view of your own over the hook: who is here, the last messages, a one-line composer. */
function RoomSummary() {
  const { state, members, messages, typing, send, error } = useChatRoom(ROOM);
  const [draft, setDraft] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!draft.trim()) return;
    send(draft).catch(() => undefined); // a refusal shows as `error`, and in the outbox
    setDraft('');
  };
  return (
    <section className="panel" aria-label="Room summary" data-state={state}>
      <h2>
        #{ROOM} · {state}
      </h2>
      {error && <p role="alert">{error.message}</p>}
      <h3>Here now ({members.length})</h3>
      <ul id="members">
        {members.map((m) => (
          <li key={m.id}>{m.name}</li>
        ))}
      </ul>
      <h3>Last messages</h3>
      <ol id="messages">
        {messages.slice(-10).map((m) => (
          <li key={m.id}>
            <strong>{m.user.name}</strong>: {m.text}
          </li>
        ))}
      </ol>
      <p aria-live="polite">{typing.length > 0 ? `${typing.map((u) => u.name).join(', ')} typing…` : ''}</p>
      <form onSubmit={submit}>
        <input aria-label="Quick message" value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="Say something" />
        <button>Post</button>
      </form>
    </section>
  );
}

/** The full widget, on the same connection as the hooks. */
function Widget() {
  const client = useChatClient();
  const [unread, setUnread] = useState(0);
  return (
    <ChatRoom
      client={client}
      room={ROOM}
      heading={unread > 0 ? `Lobby (${unread} new)` : 'Lobby'}
      onChatUnread={(e) => setUnread(e.detail.count)}
    />
  );
}

function NamePrompt({ onName }: { onName: (name: string) => void }) {
  const [name, setName] = useState('');
  return (
    <form
      className="panel"
      style={{ margin: '1rem', padding: '1rem', maxWidth: 360 }}
      onSubmit={(e) => {
        e.preventDefault();
        if (name.trim()) onName(name.trim());
      }}
    >
      <label>
        Your name <input value={name} onChange={(e) => setName(e.target.value)} autoFocus />
      </label>
      <button>Join</button>
    </form>
  );
}

function App() {
  const [name, setName] = useState<string>();
  if (!name) return <NamePrompt onName={setName} />;
  // The provider makes one client (one connection) for the hooks and the widget, and closes it on unmount.
  return (
    <ChatProvider options={{ auth: { name } }}>
      <main>
        <RoomSummary />
        <Widget />
      </main>
    </ChatProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
