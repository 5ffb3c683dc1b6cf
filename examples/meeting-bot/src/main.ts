// The meeting bot on a chat server of its own: `npm start -w meeting-bot` (after `npm run build`
// at the root), or `npm start` in a copy of this folder (README.md). PORT, HOST, MEETING_ROOMS
// (comma-separated, default "lobby"), and OPENAI_BASE_URL, OPENAI_MODEL, OPENAI_API_KEY to hand
// questions to an OpenAI-compatible endpoint.
import { createServer } from 'node:http';
import { createChatServer } from '@chat/server';
import { assistantFromEnv } from './assistant.js';
import { createMeetingBot } from './meeting-bot.js';
import { raiseHand } from './raise-hand.js';

const port = Number(process.env['PORT'] ?? 3000);
// Socket.IO answers the chat's own requests; any other (a browser opening the address) is told
// where to talk to the bot instead of waiting for an answer that never comes.
const httpServer = createServer((_req, res) => {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(
    "This is the meeting bot's chat server: it has no page. Talk to the bot from a chat client, " +
      'e.g. the demo at the repository root (npm start) opened with ?server=<this address> (README.md).\n',
  );
});
const chat = createChatServer(httpServer, { cors: { origin: true }, plugins: [raiseHand] });
chat.on('error', (error, where) => console.error('[chat]', error.code, error.message, where));

const assistant = assistantFromEnv(process.env);
const rooms = (process.env['MEETING_ROOMS'] ?? 'lobby')
  .split(',')
  .map((id) => id.trim())
  .filter(Boolean);
const meeting = await createMeetingBot(chat, { rooms, ...(assistant ? { assistant } : {}) });

httpServer.listen(port, process.env['HOST'], () => {
  const address = httpServer.address();
  const shown = typeof address === 'object' && address ? address.port : port;
  console.log(
    `Meeting bot in ${rooms.join(', ')}${assistant ? ` (answers from ${assistant.model})` : ''}; chat listening on http://${process.env['HOST'] ?? 'localhost'}:${shown}`,
  );
});

async function shutdown(): Promise<void> {
  await meeting.close();
  await chat.close();
  httpServer.close(() => process.exit(0));
  httpServer.closeAllConnections();
}
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
