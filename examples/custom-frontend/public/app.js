// A small page on the SDK alone. Every piece of user text goes in with textContent.
const { ChatClient } = window.ChatSDK;
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const login = $('login');
login.room.value = params.get('room') ?? login.room.value;
login.name.value = sessionStorage.getItem('chat-demo-name') ?? '';

login.addEventListener('submit', async (event) => {
  event.preventDefault();
  const name = login.name.value.trim();
  // One join at a time: a second click while the first is on its way would open a second connection.
  const fields = login.querySelectorAll('input, button');
  for (const field of fields) field.disabled = true;
  sessionStorage.setItem('chat-demo-name', name);
  const guestKey = sessionStorage.getItem('chat-demo-key') ?? undefined;
  const client = new ChatClient({ url: location.origin, auth: { name, guestKey } });
  sessionStorage.setItem('chat-demo-key', client.guestKey);
  client.on('state', (state) => ($('status').textContent = state === 'connected' ? '' : `Connection: ${state}…`));
  client.on('error', (error) => ($('error').textContent = error.message));
  try {
    const room = await client.join(login.room.value);
    login.hidden = true;
    $('chat').hidden = false;
    $('error').textContent = '';
    show(room);
  } catch (error) {
    $('error').textContent = error.message;
    client.close();
    for (const field of fields) field.disabled = false;
  }
});

function show(room) {
  const list = $('messages');
  const render = () => {
    list.replaceChildren(
      ...room.messages.map((m) => item(m.user.name, m.text, m.user.id === room.self?.id ? 'mine' : '')),
      ...room.outbox.map((e) => item(room.self?.name ?? '', e.text, e.status)),
    );
    list.scrollTop = list.scrollHeight;
    $('members').replaceChildren(...room.members.map((m) => Object.assign(document.createElement('li'), { textContent: m.name })));
    $('count').textContent = String(room.members.length);
  };
  room.on('updated', render);
  room.on('typing', (users) => {
    $('typing').textContent =
      users.length === 0 ? '' : `${users.map((u) => u.name).join(', ')} ${users.length === 1 ? 'is' : 'are'} typing…`;
  });
  render();
  const text = $('text');
  text.addEventListener('input', () => room.typing());
  $('composer').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = text.value.trim();
    if (!value) return;
    text.value = '';
    room.send(value).catch((error) => ($('error').textContent = error.message));
  });
  text.focus();
}

function item(name, text, kind) {
  const li = document.createElement('li');
  if (kind) li.className = kind;
  const who = document.createElement('strong');
  who.textContent = name;
  const body = document.createElement('span');
  body.textContent = text;
  li.append(who, body);
  return li;
}
