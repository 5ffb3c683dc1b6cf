import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type Socket as ServerSocket } from 'socket.io';
import { io as ioClient, type Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { writeWholeFrames } from './whole-frames.js';
import { redisCluster } from '../../cluster/redis-cluster.js';
import type { ChatServerOptions } from '../../options.js';
import { freshPrefix, REDIS_URL, skipWithoutRedis } from '../../../../../test-support/redis.js';
import { sdkClient, startChat, track } from '../../../../../test-support/servers.js';
import { waitFor } from '../../../../../test-support/wait.js';

// Per frame ws wrote to a server-side socket's connection: how many buffers it was given.
type FrameWrites = number[];

/**
 * Records how many buffers each frame ws writes to `socket`'s connection is made of (with its
 * bytes in `bytes`, when given).
 */
function recordFrames(socket: ServerSocket, bytes?: Buffer[]): FrameWrites {
  const sizes: FrameWrites = [];
  const ws = (
    socket.conn.transport as unknown as { socket?: { _sender?: { sendFrame: (list: (Buffer | string)[], cb?: () => void) => void } } }
  ).socket;
  const sender = ws?._sender;
  if (!sender) throw new Error('recordFrames: not a WebSocket connection');
  const sendFrame = sender.sendFrame.bind(sender);
  sender.sendFrame = (list, cb) => {
    sizes.push(list.length);
    bytes?.push(Buffer.concat(list.map((part) => Buffer.from(part))));
    sendFrame(list, cb);
  };
  return sizes;
}

function client(url: string, transports: ('websocket' | 'polling')[]): Promise<Socket> {
  const socket = ioClient(url, { transports, upgrade: false, reconnection: false, forceNew: true });
  track(() => void socket.disconnect());
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

// Payload lengths around WebSocket's three header forms (7-bit, 16-bit and 64-bit lengths), with
// text of one to four bytes per character.
const TEXTS = [1, 100, 125, 126, 127, 1000, 65_535, 65_536, 70_000].map((n) => 'aé€😀'.repeat(Math.ceil(n / 4)).slice(0, n));

describe('broadcasts written as whole frames', () => {
  it('every recipient gets each broadcast byte for byte, each WebSocket frame written as one buffer', async () => {
    const http = createServer();
    const io = new Server(http, { maxHttpBufferSize: 1e6 });
    writeWholeFrames(io.of('/').adapter);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    track(async () => {
      await io.close();
    });
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const frames: FrameWrites[] = [];
    io.on('connection', (socket) => {
      void socket.join('room');
      if (socket.conn.transport.name === 'websocket') frames.push(recordFrames(socket));
    });
    const clients = await Promise.all([client(url, ['websocket']), client(url, ['websocket']), client(url, ['polling'])]);
    await waitFor(() => expect(io.of('/').adapter.rooms.get('room')?.size).toBe(3));
    const received = clients.map((socket) => {
      const got: unknown[] = [];
      socket.on('text', (payload: unknown) => got.push(payload));
      return got;
    });
    const sent = TEXTS.map((text, i) => ({ i, text }));
    for (const payload of sent) io.to('room').emit('text', payload);
    for (const got of received) await waitFor(() => expect(got).toHaveLength(sent.length));
    for (const got of received) expect(got).toEqual(sent);
    expect(frames).toHaveLength(2);
    for (const sizes of frames) expect(sizes).toEqual(sent.map(() => 1));
  });

  it('an adapter changed twice is changed once; one without an encoder is left alone', () => {
    const calls: string[] = [];
    const adapter = {
      _encode(_packet: unknown, opts: { wsPreEncodedFrame?: unknown }) {
        calls.push('encode');
        opts.wsPreEncodedFrame = [Buffer.from([0x81, 2]), Buffer.from('hi')];
        return ['2["x"]'];
      },
    };
    writeWholeFrames(adapter);
    writeWholeFrames(adapter);
    const opts: { wsPreEncodedFrame?: unknown } = {};
    expect(adapter._encode({}, opts)).toEqual(['2["x"]']);
    expect(calls).toEqual(['encode']);
    expect(opts.wsPreEncodedFrame).toEqual([Buffer.from([0x81, 2, 0x68, 0x69])]);
    const plain = { broadcast() {} };
    writeWholeFrames(plain);
    writeWholeFrames(undefined);
    expect(Object.keys(plain)).toEqual(['broadcast']);
  });

  async function broadcastFrames(options: ChatServerOptions = {}): Promise<number[]> {
    const { chat, url } = await startChat(options);
    await chat.ready();
    // Per frame to each socket: its buffers and its text.
    const frames: { sizes: FrameWrites; bytes: Buffer[] }[] = [];
    chat.io.on('connection', (socket) => {
      const bytes: Buffer[] = [];
      frames.push({ sizes: recordFrames(socket, bytes), bytes });
    });
    const alice = await sdkClient(url, { auth: { name: 'Alice' } }).join('lobby');
    const bob = await sdkClient(url, { auth: { name: 'Bob' } }).join('lobby');
    await alice.send('hello, whole');
    await waitFor(() => expect(bob.messages.map((m) => m.text)).toEqual(['hello, whole']));
    // Alice's ack is her own (framed by ws as any single emit); Bob's copy is the room's broadcast.
    const broadcast = frames.flatMap(({ sizes, bytes }) =>
      bytes.flatMap((b, i) => (b.includes('42["message",') && b.includes('hello, whole') ? [sizes[i] ?? 0] : [])),
    );
    return broadcast;
  }

  it('the chat server writes its broadcasts to a room as whole frames', async () => {
    expect(await broadcastFrames()).toEqual([1]);
  });

  it.skipIf(skipWithoutRedis())('so does a chat server on a Redis cluster (its adapter swapped in after start)', async () => {
    expect(await broadcastFrames({ cluster: redisCluster({ url: REDIS_URL, keyPrefix: freshPrefix() }) })).toEqual([1]);
  });
});
