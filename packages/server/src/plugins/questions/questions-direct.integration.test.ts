// The questions() plugin and direct rooms (#46): a direct (or ephemeral) room's join answer does not list the
// plugin, so no client offers a Q&A in a one-to-one conversation, and an ask there is refused with
// a sentence that says why (with or without approval); a room that is not direct still lists it.
// On both stores.
import { expect, it } from 'vitest';
import { okData, request } from '../../../../../test-support/servers.js';
import { connect, eachStore, fresh, join, startWithRest } from '../../capabilities/conversations/conversation-fixtures.js';
import { ask } from '../plugin-socket-fixtures.js';
import { questions } from './index.js';

const DIRECT_REFUSAL = {
  ok: false,
  error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/^Questions are not available in direct conversations: /u) },
};

eachStore('questions in direct rooms', (store) => {
  for (const approval of [false, true]) {
    it(`a direct room's join answer leaves questions out and an ask there is refused${approval ? ', with approval' : ''}`, async () => {
      const { url } = await startWithRest({ store: store(), plugins: [questions({ approval })] });
      const [anaId, benId, lobby] = [fresh('ana'), fresh('ben'), fresh('lobby')];
      const [ana, ben] = await Promise.all([connect(url, anaId), connect(url, benId)]);

      // A room that is not direct lists the plugin, as before.
      expect((await join(ana, lobby)).plugins).toHaveProperty('questions');

      const { room } = okData(await request(ana, 'room:direct', { userIds: [benId] }));
      expect(room.options.direct).toBe(true);
      for (const socket of [ana, ben]) expect((await join(socket, room.id)).plugins?.['questions']).toBeUndefined();

      // Asked anyway (a client that does not read the join answer): refused, nothing posted, nothing waiting.
      expect(await ask(ana, 'question:ask', { roomId: room.id, clientId: 'c1', text: 'Will there be a recording?' })).toMatchObject(
        DIRECT_REFUSAL,
      );
      expect(await ask(ana, 'question:list', { roomId: room.id })).toMatchObject({ ok: true, data: { questions: [] } });
      // A re-join after the refusal: no message of it, and still no questions in the answer.
      const again = await join(ben, room.id);
      expect(again.messages).toEqual([]);
      expect(again.plugins?.['questions']).toBeUndefined();
    });
  }

  it("an ephemeral room's join answer leaves questions out too (its asks are refused)", async () => {
    const { url, chat } = await startWithRest({ store: store(), plugins: [questions()] });
    const fleeting = fresh('fleeting');
    await chat.createRoom({ id: fleeting, options: { ephemeral: true } });
    const ana = await connect(url, fresh('ana'));
    expect((await join(ana, fleeting)).plugins?.['questions']).toBeUndefined();
    expect(await ask(ana, 'question:ask', { roomId: fleeting, clientId: 'c1', text: 'Is this kept?' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/^Questions are not available in ephemeral rooms/u) },
    });
  });
});
