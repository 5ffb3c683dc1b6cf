import { describe, expect, it } from 'vitest';
import { ChatError, type LiveReactionBurst } from '@chat/protocol';
import { liveReactions } from '@chat/server';
import { sdkClient, startChat } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';

// `room.liveReactions` against a real server with the liveReactions() plugin.

describe('room.liveReactions', () => {
  it('sends, hears the room’s bursts summed, lists the emoji, and stops hearing once the room is left', async () => {
    const { url } = await startChat({ plugins: [liveReactions({ emojis: ['👏', '🎉'], perUserPerSecond: 50 })] });
    const [ana, luis] = [sdkClient(url), sdkClient(url)];
    const [anaRoom, luisRoom] = await Promise.all([ana.join('town-hall'), luis.join('town-hall')]);
    const other = await luis.join('backstage');
    expect(anaRoom.liveReactions.emojis).toEqual(['👏', '🎉']);
    expect(anaRoom.liveReactions.available).toBe(true);
    const heard: LiveReactionBurst[] = [];
    const elsewhere: LiveReactionBurst[] = [];
    const stop = luisRoom.liveReactions.on('burst', (burst) => heard.push(burst));
    other.liveReactions.on('burst', (burst) => elsewhere.push(burst));

    for (let i = 0; i < 5; i++) await anaRoom.liveReactions.send('👏');
    await luisRoom.liveReactions.send('🎉');
    const total = () =>
      heard.reduce<Record<string, number>>((sum, b) => {
        for (const [emoji, n] of Object.entries(b.counts)) sum[emoji] = (sum[emoji] ?? 0) + n;
        return sum;
      }, {});
    await waitFor(() => expect(total()).toEqual({ '👏': 5, '🎉': 1 }));
    expect(heard.every((b) => b.roomId === 'town-hall')).toBe(true);
    expect(elsewhere).toEqual([]);

    await expect(anaRoom.liveReactions.send('💩')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(anaRoom.liveReactions.send('💩')).rejects.toBeInstanceOf(ChatError);
    stop();
    ana.close();
    luis.close();
  });

  it('says a server without the plugin offers none', async () => {
    const { url } = await startChat();
    const client = sdkClient(url);
    const room = await client.join('lobby');
    expect(room.liveReactions.emojis).toEqual([]);
    expect(room.liveReactions.available).toBe(false);
    client.close();
  });
});
