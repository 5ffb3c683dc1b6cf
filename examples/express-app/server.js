// The demo: an ordinary Express app, with chat added in one call.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { MemoryStore, createChatServer, diskUploads } from '@chat/server';

const require = createRequire(import.meta.url);
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST; // all interfaces unless set

const app = express();
app.use(express.static(fileURLToPath(new URL('./public', import.meta.url))));
app.use('/video-portal', express.static(fileURLToPath(new URL('../video-portal/public', import.meta.url))));
app.use('/custom-frontend', express.static(fileURLToPath(new URL('../custom-frontend/public', import.meta.url))));
// The SDK alone, for pages that build their own UI.
app.get('/vendor/chat-client.js', (_req, res) => res.sendFile(require.resolve('@chat/client/browser')));
app.get('/health', (_req, res) => res.json({ ok: true }));

// Durable history on PostgreSQL when DATABASE_URL is set, the embedded memory store otherwise.
async function createStore() {
  if (!process.env.DATABASE_URL) return { store: new MemoryStore(), name: 'memory store' };
  const { PostgresStore } = await import('@chat/server/postgres');
  return { store: new PostgresStore({ connectionString: process.env.DATABASE_URL }), name: 'PostgreSQL' };
}
const { store, name: storeName } = await createStore();

const httpServer = createServer(app);
// Files people attach: kept on this disk (UPLOADS_DIR), checked by content, served back by the
// chat's REST handler under /chat/uploads.
const uploads = diskUploads({
  dir: process.env.UPLOADS_DIR ?? fileURLToPath(new URL('./uploads', import.meta.url)),
  types: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain'],
});
// Calls between the members of a room (the video portal's); STUN/TURN servers go in iceServers.
const chat = createChatServer(httpServer, { store, uploads, calls: {} });
app.use('/chat', chat.httpHandler());
// The widget as one script tag (/widget/chat-room.min.js), with the files it loads from next to it
// when a feature is first used (calls, moderation, files, Spanish...): CORS headers let a page on
// another origin load them too.
app.use('/widget', chat.widgetHandler());
await chat.ready(); // migrations done before the first connection

chat.on('join', ({ roomId, member }) => console.log(`[chat] ${member.name} joined ${roomId}`));
chat.on('error', (error, where) => console.error('[chat] error', error.code, error.message, where, error.cause ?? ''));

httpServer.listen(port, host, () => {
  const address = httpServer.address();
  const shown = typeof address === 'object' && address ? address.port : port;
  console.log(`Chat demo (${storeName}) listening on http://${host ?? 'localhost'}:${shown}`);
});

async function shutdown() {
  await chat.close();
  await store.close(); // the app created the store, so the app closes it
  httpServer.close(() => process.exit(0));
  httpServer.closeAllConnections();
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
