// Helpers of the push tests (not part of the package build: only tests import it).
import { expect } from 'vitest';
import webPushLib from 'web-push';
import type { NotificationLevel } from '@chat/protocol';
import type { ChatServer } from '../../chat-server.js';
import type { PushServiceStandIn, TestDevice } from '../../../../../test-support/push-service.js';
import { okData, request, type RawSocket } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';
import { connect, join } from '../../capabilities/conversations/conversation-fixtures.js';
import { webPush, type WebPushOptions } from './web-push-options.js';

export const vapid = webPushLib.generateVAPIDKeys();

/** The `push` option of a server that pushes to the stand-in only. */
export function pushTo(service: PushServiceStandIn, options: Partial<WebPushOptions> = {}) {
  return webPush({
    ...vapid,
    subject: 'mailto:ops@chat.example',
    allowedEndpoints: [`${service.url}/push/`],
    ...service.trust,
    url: (room) => `/chat/${room.id}`,
    ...options,
  });
}

/** Waits until the server has no socket of `userId` left. */
export async function offline(chat: ChatServer, userId: string): Promise<void> {
  await waitFor(async () => expect((await chat.presenceOf([userId]))[0]?.online).toBe(false));
}

export async function subscribe(socket: RawSocket, device: TestDevice): Promise<void> {
  okData(await request(socket, 'push:subscribe', { subscription: device.subscription }));
}

/** A member of `room` with a device subscribed (at `level`, if given), who then goes away. */
export async function memberAway(
  chat: ChatServer,
  url: string,
  room: string,
  id: string,
  device: TestDevice,
  level?: NotificationLevel,
): Promise<void> {
  const socket = await connect(url, id);
  await join(socket, room);
  if (level) okData(await request(socket, 'notifications:set', { roomId: room, level }));
  await subscribe(socket, device);
  socket.disconnect();
  await offline(chat, id);
}

export const to = (service: PushServiceStandIn, path: string) => service.requests.filter((r) => r.path === `/push/${path}`);
