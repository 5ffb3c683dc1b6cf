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
// The widget's twelve languages are here; a host adds another by setting
// `self.chatPushStrings = { sw: { ... } }` (the keys below)
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
  ar: {
    inRoom: (sender, room) => `${sender} في ${room}`,
    attachment: 'أرسل مرفقًا',
    encrypted: 'رسالة مشفّرة جديدة',
    more: (n) => {
      const forms = { one: 'ورسالة أخرى', two: 'ورسالتان أخريان', few: 'و# رسائل أخرى', many: 'و# رسالة أخرى', other: 'و# رسالة أخرى' };
      return `(${(forms[new Intl.PluralRules('ar').select(n)] || forms.other).replace('#', new Intl.NumberFormat('ar').format(n))})`;
    },
    newMessage: 'رسالة جديدة',
  },
  de: {
    inRoom: (sender, room) => `${sender} in ${room}`,
    attachment: 'Hat einen Anhang gesendet',
    encrypted: 'Neue verschlüsselte Nachricht',
    more: (n) => `(+${new Intl.NumberFormat('de').format(n)} weitere)`,
    newMessage: 'Neue Nachricht',
  },
  fr: {
    inRoom: (sender, room) => `${sender} dans ${room}`,
    attachment: 'A envoyé une pièce jointe',
    encrypted: 'Nouveau message chiffré',
    more: (n) => `(+${new Intl.NumberFormat('fr').format(n)} ${new Intl.PluralRules('fr').select(n) === 'one' ? 'autre' : 'autres'})`,
    newMessage: 'Nouveau message',
  },
  he: {
    inRoom: (sender, room) => `${sender} בחדר ${room}`,
    attachment: 'שלח/ה קובץ מצורף',
    encrypted: 'הודעה מוצפנת חדשה',
    more: (n) =>
      `(ועוד ${{ one: 'הודעה אחת', two: 'שתי הודעות' }[new Intl.PluralRules('he').select(n)] || `${new Intl.NumberFormat('he').format(n)} הודעות`})`,
    newMessage: 'הודעה חדשה',
  },
  it: {
    inRoom: (sender, room) => `${sender} in ${room}`,
    attachment: 'Ha inviato un allegato',
    encrypted: 'Nuovo messaggio crittografato',
    more: (n) => `(+${new Intl.NumberFormat('it').format(n)} ${new Intl.PluralRules('it').select(n) === 'one' ? 'altro' : 'altri'})`,
    newMessage: 'Nuovo messaggio',
  },
  ja: {
    inRoom: (sender, room) => `${sender}（${room}）`,
    attachment: '添付ファイルを送信しました',
    encrypted: '新しい暗号化メッセージ',
    more: (n) => `（ほか${new Intl.NumberFormat('ja').format(n)}件）`,
    newMessage: '新着メッセージ',
  },
  nl: {
    inRoom: (sender, room) => `${sender} in ${room}`,
    attachment: 'Heeft een bijlage gestuurd',
    encrypted: 'Nieuw versleuteld bericht',
    more: (n) => `(+${new Intl.NumberFormat('nl').format(n)} meer)`,
    newMessage: 'Nieuw bericht',
  },
  pl: {
    inRoom: (sender, room) => `${sender} w pokoju ${room}`,
    attachment: 'Wysłano załącznik',
    encrypted: 'Nowa zaszyfrowana wiadomość',
    more: (n) =>
      `(i ${new Intl.NumberFormat('pl').format(n)} ${{ one: 'kolejna', few: 'kolejne', many: 'kolejnych' }[new Intl.PluralRules('pl').select(n)] || 'kolejnej'})`,
    newMessage: 'Nowa wiadomość',
  },
  pt: {
    inRoom: (sender, room) => `${sender} em ${room}`,
    attachment: 'Enviou um anexo',
    encrypted: 'Nova mensagem criptografada',
    more: (n) => `(e mais ${new Intl.NumberFormat('pt').format(n)})`,
    newMessage: 'Nova mensagem',
  },
  tr: {
    inRoom: (sender, room) => `${sender} · ${room}`,
    attachment: 'Bir ek gönderdi',
    encrypted: 'Yeni şifreli mesaj',
    more: (n) => `(+${new Intl.NumberFormat('tr').format(n)} mesaj daha)`,
    newMessage: 'Yeni mesaj',
  },
  zh: {
    inRoom: (sender, room) => `${sender}（${room}）`,
    attachment: '发送了一个附件',
    encrypted: '新的加密消息',
    more: (n) => `（另有 ${new Intl.NumberFormat('zh').format(n)} 条）`,
    newMessage: '新消息',
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
