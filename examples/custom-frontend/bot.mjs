// A bot on the SDK: joins a room and answers `!ping` and `!who`. Run it next to the demo:
//   node examples/custom-frontend/bot.mjs            (CHAT_URL, CHAT_ROOM to change)
import { ChatClient } from '@chat/client';

const url = process.env.CHAT_URL ?? 'http://localhost:3000';
const roomId = process.env.CHAT_ROOM ?? 'lobby';

const client = new ChatClient({ url, auth: { name: process.env.BOT_NAME ?? 'Bot' } });
client.on('error', (error) => console.error(`[bot] ${error.code}: ${error.message}`));
client.on('state', (state) => console.log(`[bot] ${state}`));

const room = await client.join(roomId);
console.log(`[bot] joined ${roomId} as ${room.self?.name}; ${room.members.length} here`);

room.on('message', async (message) => {
  if (message.user.id === room.self?.id) return; // our own
  const text = message.text.trim();
  if (text === '!ping') await room.send({ text: 'pong', replyTo: message.id });
  if (text === '!who') await room.send(`Here now: ${room.members.map((m) => m.name).join(', ')}`);
});

const stop = () => {
  client.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
