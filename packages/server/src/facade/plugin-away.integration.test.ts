// What a host's plugin that tells people of messages while they are away is given (docs/plugins.md),
// as the built-in push uses it: who is away and why (`awayRecipients`), who is online (`online`),
// and `onMessage` listeners whose work `chat.close()` waits for.
import { describe, expect, it } from 'vitest';
import type { AwayReason, PluginTools } from '../index.js';
import { definePlugin } from '../index.js';
import { okData, request, startChat } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';
import { byHandshake, connect, fresh, join, say } from '../capabilities/conversations/conversation-fixtures.js';
import { offline } from '../plugins/push/push-fixtures.js';

/** A plugin that records, for each stored message's text, who is away and why. */
function tellerPlugin() {
  let tools!: PluginTools;
  const told = new Map<string, Record<string, AwayReason>>();
  const plugin = definePlugin({
    name: 'teller',
    start: (given) => {
      tools = given;
      given.onMessage(async ({ kind, room, message }) => {
        if (kind === 'stored') told.set(message.text, Object.fromEntries(await given.awayRecipients(room, message)));
      });
    },
  });
  return { plugin, told, tools: () => tools };
}

describe('plugins that tell people away', () => {
  it('awayRecipients names the stored members away, with why; online names who has a socket', async () => {
    const { plugin, told, tools } = tellerPlugin();
    const { chat, url } = await startChat({ plugins: [plugin], authenticate: byHandshake });
    const room = fresh('room');
    const [ana, luis, eva, bob, carl, zoe] = ['ana', 'luis', 'eva', 'bob', 'carl', 'zoe'].map(fresh) as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const anaSocket = await connect(url, ana, 'Ana');
    await join(anaSocket, room);
    const bobSocket = await connect(url, bob);
    await join(bobSocket, room);
    // Luis follows every message, Eva only mentions, Zoe nothing; Carl follows all but is banned.
    for (const [id, level] of [
      [luis, 'all'],
      [eva, 'mentions'],
      [zoe, 'none'],
      [carl, 'all'],
    ] as const) {
      const socket = await connect(url, id);
      await join(socket, room);
      okData(await request(socket, 'notifications:set', { roomId: room, level }));
      socket.disconnect();
      await offline(chat, id);
    }
    await chat.ban(room, carl);

    await say(anaSocket, room, 'hola');
    await say(anaSocket, room, 'eva, mira', [eva, zoe]);
    await waitFor(() => expect(told.size).toBe(2));
    // Not Ana (the sender), nor Bob (online), nor Zoe (level none), nor Carl (banned: no member now).
    expect(told.get('hola')).toEqual({ [luis]: 'message' });
    expect(told.get('eva, mira')).toEqual({ [luis]: 'message', [eva]: 'mention' });
    expect([...(await tools().online([ana, luis, bob, 'nobody']))].sort()).toEqual([ana, bob].sort());
  });

  it('chat.close() waits for what an onMessage listener started; what it throws or rejects with is reported', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const heard: string[] = [];
    const plugin = definePlugin({
      name: 'slow',
      start: (tools) => {
        tools.onMessage(async ({ message }) => {
          if (message.text === 'slow') {
            heard.push('started');
            await held;
            heard.push('done');
          }
          if (message.text === 'reject') throw new Error('rejected here');
        });
        tools.onMessage(({ message }) => {
          if (message.text === 'throw') throw new Error('thrown here');
        });
      },
      // Called once the work in flight has ended.
      close: () => void heard.push('closed'),
    });
    const { chat, url } = await startChat({ plugins: [plugin], authenticate: byHandshake });
    const reported: string[] = [];
    chat.on('error', (error, where) => reported.push(`${where?.event}: ${error.code}: ${error.message}`));
    const room = fresh('room');
    const socket = await connect(url, fresh('ana'));
    await join(socket, room);
    // The sender's answers come whatever the listeners do.
    await say(socket, room, 'throw');
    await say(socket, room, 'reject');
    await waitFor(() =>
      expect(reported.sort()).toEqual([
        'plugin:slow: INTERNAL: The plugin "slow" failed: rejected here',
        'plugin:slow: INTERNAL: The plugin "slow" failed: thrown here',
      ]),
    );
    await say(socket, room, 'slow');
    await waitFor(() => expect(heard).toEqual(['started']));
    let closed = false;
    const closing = chat.close().then(() => (closed = true));
    // The close is under way and waits for the listener's work; once that ends, so does the close.
    await waitFor(() => expect(socket.connected).toBe(false));
    expect(closed).toBe(false);
    release();
    await closing;
    expect(heard).toEqual(['started', 'done', 'closed']);
  });
});
