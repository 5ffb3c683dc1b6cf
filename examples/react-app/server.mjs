// The React example's server: the page and its bundle, and chat on the same port.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createChatServer } from '@chat/server';

const port = Number(process.env.PORT ?? 3001);
const host = process.env.HOST; // all interfaces unless set

const files = {
  '/': ['public/index.html', 'text/html; charset=utf-8'],
  '/app.js': ['dist/app.js', 'text/javascript; charset=utf-8'],
  '/app.js.map': ['dist/app.js.map', 'application/json'],
};

const httpServer = createServer(async (req, res) => {
  const file = files[new URL(req.url ?? '/', 'http://localhost').pathname];
  if (!file) return res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  try {
    const body = await readFile(new URL(file[0], import.meta.url));
    res.writeHead(200, { 'content-type': file[1] }).end(body);
  } catch {
    res.writeHead(500, { 'content-type': 'text/plain' }).end('No bundle yet: run `npm run build` in examples/react-app.');
  }
});

// Guests pick a name; rooms are created by their first join (the defaults).
const chat = createChatServer(httpServer);
chat.on('join', ({ roomId, member }) => console.log(`[chat] ${member.name} joined ${roomId}`));

httpServer.listen(port, host, () => {
  const address = httpServer.address();
  const shown = typeof address === 'object' && address ? address.port : port;
  console.log(`React example listening on http://${host ?? 'localhost'}:${shown}`);
});

async function shutdown() {
  await chat.close();
  httpServer.close(() => process.exit(0));
  httpServer.closeAllConnections();
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
