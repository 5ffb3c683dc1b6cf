// @chat/widget/chat-sw.js: the service worker that shows the chat server's push notifications
// (`push: webPush(...)` on the server, `client.push.subscribe(registration)` in the page).
// Serve it from your own site (a service worker must come from the page's origin, and its path
// bounds the pages it controls: at the root, it controls them all), then register it:
//   const registration = await navigator.serviceWorker.register('/chat-sw.js');
//   await client.push.subscribe(registration);
// A push carries { title, body, roomId, messageId, seq, reason, url, count }. A click on the
// notification focuses a tab already open at its url, or opens one.
/* global self */

self.addEventListener('push', (event) => {
  const data = readPush(event);
  if (!data) return;
  const url = new URL(typeof data.url === 'string' ? data.url : '/', self.location.origin).href;
  event.waitUntil(
    self.registration.showNotification(typeof data.title === 'string' ? data.title : 'New message', {
      body: typeof data.body === 'string' ? data.body : '',
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
