import { describe, expect, it } from 'vitest';
import { sdkClient, startChat } from '../../../test-support/servers.js';
import { waitFor } from '../../../test-support/wait.js';

describe('join() of a room left while its join was under way', () => {
  it('waits for that join to be over and joins anew: a joined room that receives messages', async () => {
    const { url, chat } = await startChat();
    const client = sdkClient(url);
    const first = client.join('r');
    const abandoned = client.getRoom('r');
    expect(abandoned?.state).toBe('joining');
    const left = abandoned?.leave();

    const again = await client.join('r');
    expect(again).not.toBe(abandoned);
    expect(again.state).toBe('joined');
    expect(client.getRoom('r')).toBe(again);
    // The first caller gets what it asked for, left.
    expect(await first).toBe(abandoned);
    expect(abandoned?.state).toBe('left');
    await left;

    // Joined on the server too (the abandoned join's leave did not take the new one out).
    await chat.sendMessage('r', { user: { id: 'bot', name: 'Bot' }, text: 'still here?' });
    await waitFor(() => expect(again.messages.map((m) => m.text)).toEqual(['still here?']));
    expect(again.state).toBe('joined');
  });

  it('a join while the first one is still wanted gives the same room, once joined', async () => {
    const { url } = await startChat();
    const client = sdkClient(url);
    const first = client.join('r');
    // Resolved when joined, not at once with a room still joining.
    const second = client.join('r').then((room) => ({ room, state: room.state }));
    const [a, b] = await Promise.all([first, second]);
    expect(b.room).toBe(a);
    expect(b.state).toBe('joined');
  });
});
