// The demo: an ordinary Express app, with chat added in one call.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { createChatServer } from '@chat/server';

const require = createRequire(import.meta.url);
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST; // all interfaces unless set

const app = express();
app.use(express.static(fileURLToPath(new URL('./public', import.meta.url))));
// The SDK as one script for pages without a bundler.
app.get('/vendor/chat-client.js', (_req, res) => res.sendFile(require.resolve('@chat/client/browser')));
app.get('/health', (_req, res) => res.json({ ok: true }));

const httpServer = createServer(app);
const chat = createChatServer(httpServer);

chat.on('join', ({ roomId, member }) => console.log(`[chat] ${member.name} joined ${roomId}`));
chat.on('error', (error, where) => console.error('[chat] error', error.code, error.message, where, error.cause ?? ''));

httpServer.listen(port, host, () => {
  const address = httpServer.address();
  const shown = typeof address === 'object' && address ? address.port : port;
  console.log(`Chat demo listening on http://${host ?? 'localhost'}:${shown}`);
});

async function shutdown() {
  await chat.close();
  httpServer.close(() => process.exit(0));
  httpServer.closeAllConnections();
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
