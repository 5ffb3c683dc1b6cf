// What a host's plugin hears of the chat server's events (`tools.onServerEvent`, docs/plugins.md),
// as the built-in webhooks do: what `chat.on` hears, just before the host's listeners; what a
// listener throws or rejects with is reported, and `chat.close()` waits for what it started.
import { describe, expect, it } from 'vitest';
import type { Message } from '@chat/protocol';
import { definePlugin } from '../index.js';
import { startChat } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';
import { byHandshake, connect, fresh, join, say } from '../capabilities/conversations/conversation-fixtures.js';

describe('plugins that hear the server’s events', () => {
  it('hear what chat.on hears, with the same arguments, just before the host’s listeners', async () => {
    const heard: string[] = [];
    const messages: { plugin?: Message; host?: Message } = {};
    const plugin = definePlugin({
      name: 'audit',
      start: (tools) => {
        tools.onServerEvent('join', ({ roomId, member }) => void heard.push(`plugin join ${roomId} ${member.name}`));
        tools.onServerEvent('message', (message) => void (heard.push(`plugin message ${message.text}`), (messages.plugin = message)));
        tools.onServerEvent('leave', ({ user }) => void heard.push(`plugin leave ${user.name}`));
      },
    });
    const { chat, url } = await startChat({ plugins: [plugin], authenticate: byHandshake });
    chat.on('join', ({ roomId, member }) => void heard.push(`host join ${roomId} ${member.name}`));
    chat.on('message', (message) => void (heard.push(`host message ${message.text}`), (messages.host = message)));
    chat.on('leave', ({ user }) => void heard.push(`host leave ${user.name}`));
    const room = fresh('room');
    const socket = await connect(url, fresh('ana'), 'Ana');
    await join(socket, room);
    await say(socket, room, 'hola');
    socket.disconnect();
    await waitFor(() =>
      expect(heard).toEqual([
        `plugin join ${room} Ana`,
        `host join ${room} Ana`,
        'plugin message hola',
        'host message hola',
        'plugin leave Ana',
        'host leave Ana',
      ]),
    );
    expect(messages.plugin).toBe(messages.host);
  });

  it('a name that is no server event (or `error`) is refused with a sentence', async () => {
    const asked: string[] = [];
    const plugin = definePlugin({
      name: 'typo',
      start: (tools) => {
        for (const name of ['messageUpdate', 'error']) {
          try {
            tools.onServerEvent(name as 'message', () => undefined);
          } catch (error) {
            asked.push((error as Error).message);
          }
        }
      },
    });
    await startChat({ plugins: [plugin] });
    expect(asked).toEqual([
      'The plugin "typo" called tools.onServerEvent("messageUpdate"): it hears one of message, messageUpdated, join, leave, room:ended, report, moderation.',
      'The plugin "typo" called tools.onServerEvent("error"): it hears one of message, messageUpdated, join, leave, room:ended, report, moderation.',
    ]);
  });

  it('a listener that throws or rejects is reported; the host’s listeners still hear; close waits for its work', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const steps: string[] = [];
    const plugin = definePlugin({
      name: 'flaky',
      start: (tools) => {
        tools.onServerEvent('message', (message) => {
          if (message.text === 'throw') throw new Error('thrown here');
        });
        tools.onServerEvent('message', async (message) => {
          if (message.text === 'reject') throw new Error('rejected here');
          if (message.text === 'slow') {
            steps.push('started');
            await held;
            steps.push('done');
          }
        });
      },
      close: () => void steps.push('closed'),
    });
    const { chat, url } = await startChat({ plugins: [plugin], authenticate: byHandshake });
    const reported: string[] = [];
    chat.on('error', (error, where) => reported.push(`${where?.event}: ${error.code}: ${error.message}`));
    const hostHeard: string[] = [];
    chat.on('message', (message) => void hostHeard.push(message.text));
    const room = fresh('room');
    const socket = await connect(url, fresh('ana'));
    await join(socket, room);
    await say(socket, room, 'throw');
    await say(socket, room, 'reject');
    await waitFor(() =>
      expect(reported.sort()).toEqual([
        'plugin:flaky: INTERNAL: The plugin "flaky" failed: rejected here',
        'plugin:flaky: INTERNAL: The plugin "flaky" failed: thrown here',
      ]),
    );
    expect(hostHeard).toEqual(['throw', 'reject']);
    await say(socket, room, 'slow');
    await waitFor(() => expect(steps).toEqual(['started']));
    let closed = false;
    const closing = chat.close().then(() => (closed = true));
    await waitFor(() => expect(socket.connected).toBe(false));
    expect(closed).toBe(false);
    release();
    await closing;
    expect(steps).toEqual(['started', 'done', 'closed']);
  });

  it('a listener stopped hears no more', async () => {
    const heard: string[] = [];
    let stop!: () => void;
    const plugin = definePlugin({
      name: 'once',
      start: (tools) => {
        stop = tools.onServerEvent('message', (message) => void heard.push(message.text));
      },
    });
    const { chat, url } = await startChat({ plugins: [plugin], authenticate: byHandshake });
    // The host's listener hears each message just after the plugin's would.
    const hostHeard: string[] = [];
    chat.on('message', (message) => void hostHeard.push(message.text));
    const room = fresh('room');
    const socket = await connect(url, fresh('ana'));
    await join(socket, room);
    await say(socket, room, 'one');
    await waitFor(() => expect(hostHeard).toEqual(['one']));
    stop();
    await say(socket, room, 'two');
    await waitFor(() => expect(hostHeard).toEqual(['one', 'two']));
    expect(heard).toEqual(['one']);
  });
});
