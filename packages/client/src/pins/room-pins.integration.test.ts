import { describe, expect, it } from 'vitest';
import type { Message } from '@chat/protocol';
import { pins } from '@chat/server';
import { awayAndBack, sdkClient, startChat } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';

// `room.pins` against a real server with the pins() plugin.

const texts = (list: readonly Message[]) => list.map((m) => m.text);

describe('room.pins', () => {
  it('a moderator pins and unpins; another member’s list follows, with `updated`; a member is refused', async () => {
    const { url, chat } = await startChat({ plugins: [pins()] });
    const [mod, ana] = [sdkClient(url), sdkClient(url)];
    const [modRoom, anaRoom] = [await mod.join('town-hall'), await ana.join('town-hall')];
    await chat.setRole('town-hall', modRoom.self!.id, 'moderator');
    await waitFor(() => expect(modRoom.canModerate).toBe(true));
    expect(anaRoom.pins.available).toBe(true);
    expect(anaRoom.pins.list).toEqual([]);
    const changes: string[][] = [];
    anaRoom.on('updated', () => changes.push(texts(anaRoom.pins.list)));

    const first = await modRoom.send('Welcome, everyone');
    const second = await modRoom.send('Q&A at 3pm');
    expect(texts(await modRoom.pins.add(first.id))).toEqual(['Welcome, everyone']);
    expect(texts(await modRoom.pins.add(second.id))).toEqual(['Q&A at 3pm', 'Welcome, everyone']);
    await waitFor(() => expect(texts(anaRoom.pins.list)).toEqual(['Q&A at 3pm', 'Welcome, everyone']));
    expect(changes.at(-1)).toEqual(['Q&A at 3pm', 'Welcome, everyone']);

    // An edit of a pinned message reaches the list.
    await modRoom.edit(first.id, 'Welcome, all');
    await waitFor(() => expect(texts(anaRoom.pins.list)).toEqual(['Q&A at 3pm', 'Welcome, all']));

    await expect(anaRoom.pins.add(first.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(texts(await modRoom.pins.remove(second.id))).toEqual(['Welcome, all']);
    await waitFor(() => expect(texts(anaRoom.pins.list)).toEqual(['Welcome, all']));
    mod.close();
    ana.close();
  });

  it('a reconnect brings the pins made while away, with `updated`', async () => {
    const board = pins();
    const { url, chat } = await startChat({ plugins: [board] });
    const ana = sdkClient(url);
    const anaRoom = await ana.join('lobby');
    const sent = await chat.sendMessage('lobby', { user: { id: 'host', name: 'Host' }, text: 'House rules' });
    const changes: string[][] = [];
    anaRoom.on('updated', () => changes.push(texts(anaRoom.pins.list)));

    // Pinned by the host while Ana's connection is down: her re-join's answer brings it.
    await awayAndBack(chat, 'lobby', async () => {
      await board.pin('lobby', sent.id);
    });
    await waitFor(() => expect(texts(anaRoom.pins.list)).toEqual(['House rules']));
    // The re-join's answer brings the pins; `updated` says so once its catch-up has ended.
    await waitFor(() => expect(changes.at(-1)).toEqual(['House rules']));
    ana.close();
  });

  it('says a server without the plugin offers none, and refuses its requests', async () => {
    const { url } = await startChat();
    const client = sdkClient(url);
    const room = await client.join('lobby');
    const sent = await room.send('hello');
    expect(room.pins.available).toBe(false);
    expect(room.pins.list).toEqual([]);
    await expect(room.pins.add(sent.id)).rejects.toMatchObject({ code: expect.any(String) });
    client.close();
  });
});
