import { describe, expect, it } from 'vitest';
import type { Ack } from '@chat/protocol';
import { definePlugin } from '@chat/server';
import { sdkClient, startChat } from '../../../../test-support/servers.js';
import { waitFor } from '../../../../test-support/wait.js';

// A plugin's room state in the SDK: `<plugin name>:updated { roomId, ...state }` replaces
// `room.plugins[name]` (the shape of its join answer) and fires the room's `updated`.

interface StageState {
  roomId: string;
  speakers: string[];
}
declare module '@chat/protocol' {
  interface CustomClientEvents {
    'stage:step-up': (payload: { roomId: string }, ack: Ack<{ speakers: string[] }>) => void;
  }
  interface CustomServerEvents {
    'stage:updated': (event: StageState) => void;
    'other:updated': (event: StageState) => void;
  }
}

/** A plugin named 'stage' whose state is who is on stage, in memory (enough for one process). */
function stage() {
  const onStage = new Map<string, string[]>();
  return definePlugin({
    name: 'stage',
    events: {
      'stage:step-up': (request, tools) => {
        const roomId = String((request.payload as { roomId: string }).roomId);
        const speakers = [...(onStage.get(roomId) ?? []), request.user.name];
        onStage.set(roomId, speakers);
        tools.emitToRoom(roomId, 'stage:updated', { roomId, speakers });
        // Another room's state, and a plugin this server does not have: neither touches this room.
        tools.emitToRoom(roomId, 'stage:updated', { roomId: 'elsewhere', speakers: ['nobody'] });
        tools.emitToRoom(roomId, 'other:updated', { roomId, speakers: ['nobody'] });
        return Promise.resolve({ speakers });
      },
    },
    joinAnswer: ({ roomId }) => Promise.resolve({ speakers: onStage.get(roomId) ?? [] }),
  });
}

describe('a plugin’s room state in the SDK', () => {
  it('`<name>:updated` replaces room.plugins[name] and fires `updated`, for that room only', async () => {
    const { url } = await startChat({ plugins: [stage()] });
    const [ana, luis] = [sdkClient(url, { auth: { name: 'Ana' } }), sdkClient(url, { auth: { name: 'Luis' } })];
    const [anaRoom, luisRoom] = [await ana.join('keynote'), await luis.join('keynote')];
    expect(luisRoom.plugins['stage']).toEqual({ speakers: [] });
    let updates = 0;
    luisRoom.on('updated', () => updates++);

    await ana.request('stage:step-up', { roomId: 'keynote' });
    await waitFor(() => expect(luisRoom.plugins['stage']).toEqual({ speakers: ['Ana'] }));
    expect(updates).toBeGreaterThan(0);
    expect(luisRoom.plugins['other']).toBeUndefined();
    expect(anaRoom.plugins['stage']).toEqual({ speakers: ['Ana'] });
    ana.close();
    luis.close();
  });
});
