// @chat/widget/chat-sw.js: the service worker that shows the chat server's push notifications
// (`push: webPush(...)` on the server, `client.push.subscribe(registration)` in the page).
// Serve it from your own site (a service worker must come from the page's origin, and its path
// bounds the pages it controls: at the root, it controls them all), then register it:
//   const registration = await navigator.serviceWorker.register('/chat-sw.js');
//   await client.push.subscribe(registration);
// A push carries { title, body, roomId, messageId, seq, reason, url, count }. A click on the
// notification focuses a tab already open at its url, or opens one.
/* global self */

// The notification's words in the reader's language (the browser's, `navigator.languages`), from
// what the push says (`sender`, `roomTitle`, `text`, `content`, `count`); English when none matches.
// A host adds a language by setting `self.chatPushStrings = { fr: { ... } }` (the keys below)
// before `importScripts('/chat-sw.js')` in a worker of its own.
const STRINGS = {
  en: {
    inRoom: (sender, room) => `${sender} in ${room}`,
    attachment: 'Sent an attachment',
    encrypted: 'New encrypted message',
    more: (n) => `(+${n} more)`,
    newMessage: 'New message',
  },
  es: {
    inRoom: (sender, room) => `${sender} en ${room}`,
    attachment: 'Envió un archivo adjunto',
    encrypted: 'Nuevo mensaje cifrado',
    more: (n) => `(+${n} más)`,
    newMessage: 'Mensaje nuevo',
  },
  ...(typeof self.chatPushStrings === 'object' && self.chatPushStrings !== null ? self.chatPushStrings : {}),
};

self.addEventListener('push', (event) => {
  const data = readPush(event);
  if (!data) return;
  const url = new URL(typeof data.url === 'string' ? data.url : '/', self.location.origin).href;
  const words = strings();
  event.waitUntil(
    self.registration.showNotification(titleOf(data, words), {
      body: bodyOf(data, words),
      // One notification per room: a newer push replaces the older one, and still alerts.
      tag: `chat:${String(data.roomId)}`,
      renotify: true,
      data: { url, roomId: data.roomId, messageId: data.messageId },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = event.notification.data && typeof event.notification.data.url === 'string' ? event.notification.data.url : '/';
  event.waitUntil(focusOrOpen(url));
});

/** The strings of the first of the reader's languages this worker has, else English. */
function strings() {
  const tags = self.navigator.languages && self.navigator.languages.length > 0 ? self.navigator.languages : [self.navigator.language];
  for (const tag of tags) {
    const found = STRINGS[String(tag).toLowerCase()] || STRINGS[String(tag).toLowerCase().split('-')[0]];
    if (found) return found;
  }
  return STRINGS.en;
}

/** The sender, and the room outside direct messages; the push's own title from a server that sends no `sender`. */
function titleOf(data, words) {
  if (typeof data.sender !== 'string') return typeof data.title === 'string' ? data.title : words.newMessage;
  return data.reason === 'direct' || typeof data.roomTitle !== 'string' ? data.sender : words.inRoom(data.sender, data.roomTitle);
}

/** The message's text, or what it holds (an attachment, encrypted words), and how many more came with it. */
function bodyOf(data, words) {
  if (typeof data.content !== 'string') return typeof data.body === 'string' ? data.body : '';
  const said = data.content === 'encrypted' ? words.encrypted : data.content === 'attachment' ? words.attachment : String(data.text ?? '');
  return typeof data.count === 'number' && data.count > 1 ? `${said} ${words.more(data.count - 1)}` : said;
}

/** The push's JSON, or null for a push without one (nothing is shown). */
function readPush(event) {
  try {
    const data = event.data ? event.data.json() : null;
    return data && typeof data === 'object' ? data : null;
  } catch {
    return null;
  }
}

/** Focuses a tab at `url` if one is open, else opens one there. */
async function focusOrOpen(url) {
  const tabs = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = tabs.find((tab) => tab.url === url);
  if (open) return open.focus();
  return self.clients.openWindow(url);
}
