// What the room fan-out suites share (one process, and two on Redis): members as raw sockets, and
// the frames each receives.
import { randomUUID } from 'node:crypto';
import { ClientFeature, type Message, type MessageBatch } from '@chat/protocol';
import { okData, rawSocket, request, type RawSocket, type TestChat } from '../../../../../test-support/servers.js';

/** Every event a raw socket receives, in order, with the messages each carries. */
export function framesOf(socket: RawSocket): Array<{ event: string; messages: Message[] }> {
  const frames: Array<{ event: string; messages: Message[] }> = [];
  socket.onAny((event: string, payload: unknown) => {
    if (event === 'message') frames.push({ event, messages: [payload as Message] });
    if (event === 'messages') frames.push({ event, messages: (payload as MessageBatch).messages });
  });
  return frames;
}

/** A new guest in `roomId` on `chat`, asking for batched `messages` frames or not. */
export async function member(chat: TestChat, roomId: string, batches: boolean): Promise<RawSocket> {
  const auth = { name: `user-${randomUUID().slice(0, 6)}`, ...(batches && { features: [ClientFeature.MESSAGES] }) };
  const socket = await rawSocket(chat.url, auth);
  okData(await request(socket, 'room:join', { roomId }));
  return socket;
}
