import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ChatError, diskUploads, type ChatUploads } from '@chat/server';
import { sdkClient, track } from '../../../test-support/servers.js';
import { chatWithUploads, diskDir } from '../../../test-support/uploads.js';
import { waitFor } from '../../../test-support/wait.js';
import { HTML_AS_PNG, PNG } from '../../server/src/capabilities/uploads/upload-fixtures.js';
import type { Message } from './index.js';

describe('client.upload', () => {
  it('uploads from Node, the attachment goes out in a message, and another client can fetch the file', async () => {
    const { url } = await chatWithUploads({ uploads: diskUploads({ dir: await diskDir() }) });
    const ana = sdkClient(url, { auth: { name: 'Ana' } });
    const bob = sdkClient(url, { auth: { name: 'Bob' } });
    const [anaRoom, bobRoom] = await Promise.all([ana.join('lobby'), bob.join('lobby')]);
    const received = new Promise<Message>((resolve) => bobRoom.on('message', resolve));

    const progress: Array<[number, number]> = [];
    const attachment = await ana.upload(new File([PNG.bytes], 'dot.png', { type: 'image/png' }), {
      onProgress: ({ loaded, total }) => progress.push([loaded, total]),
    });
    expect(attachment).toEqual({
      url: expect.stringMatching(new RegExp(`^${url}/chat/uploads/[A-Za-z0-9_-]{22}\\.png$`, 'u')),
      type: 'image/png',
      name: 'dot.png',
      size: PNG.bytes.length,
    });
    // Node's fetch has no upload progress: one call, at the end.
    expect(progress).toEqual([[PNG.bytes.length, PNG.bytes.length]]);

    await anaRoom.send({ text: '', attachments: [attachment] });
    const message = await received;
    expect(message.attachments).toEqual([attachment]);
    const file = await fetch(message.attachments[0]?.url as string);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(PNG.bytes);
  });

  it('rejects with the ChatError the server gives: wrong content, too large, no credentials', async () => {
    const { url } = await chatWithUploads({ uploads: diskUploads({ dir: await diskDir(), maxBytes: 1024 }) });
    const client = sdkClient(url);
    const html = client.upload(new Blob([HTML_AS_PNG.bytes], { type: 'image/png' }), { name: HTML_AS_PNG.name });
    await expect(html).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(html).rejects.toBeInstanceOf(ChatError);
    await expect(client.upload(new Blob([new Uint8Array(2048)]), { name: 'big.png' })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const anonymous = sdkClient(url, { auth: undefined });
    await expect(anonymous.upload(new Blob([PNG.bytes]))).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('cancels with an AbortSignal', async () => {
    const { url } = await chatWithUploads({ uploads: diskUploads({ dir: await diskDir() }) });
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    controller.abort(reason);
    await expect(sdkClient(url).upload(new Blob([PNG.bytes]), { signal: controller.signal })).rejects.toBe(reason);
  });

  it('sends the file where a sign() seam says (an object store), without the chat credentials', async () => {
    // A stand-in for an object store's presigned PUT: keeps what it gets.
    const puts: Array<{ path: string; headers: IncomingHttpHeaders; body: Buffer }> = [];
    const store = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        puts.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        res.statusCode = 200;
        res.end();
      });
    });
    await new Promise<void>((resolve) => store.listen(0, '127.0.0.1', resolve));
    track(() => new Promise<void>((resolve) => store.close(() => resolve())));
    const storeUrl = `http://127.0.0.1:${(store.address() as AddressInfo).port}`;
    const signed: unknown[] = [];
    const uploads: ChatUploads = {
      sign: (file, ctx) => {
        signed.push({ file, user: ctx.user.name, roomId: ctx.roomId });
        const key = `rooms/${ctx.roomId}/abc123-${encodeURIComponent(file.name)}`;
        return {
          url: `${storeUrl}/${key}?X-Signature=fake`,
          method: 'PUT',
          headers: { 'content-type': file.type },
          attachment: { url: `${storeUrl}/${key}`, type: file.type, name: file.name, size: file.size },
          withAuth: true, // ignored: another origin never gets the chat credentials
        };
      },
    };
    const { url, chat } = await chatWithUploads({ uploads });
    await chat.createRoom({ id: 'lobby' });
    const client = sdkClient(url, { auth: { name: 'Ana' } });
    const attachment = await client.upload(new File([PNG.bytes], 'dot.png', { type: 'image/png' }), { roomId: 'lobby' });
    expect(attachment).toEqual({
      url: `${storeUrl}/rooms/lobby/abc123-dot.png`,
      type: 'image/png',
      name: 'dot.png',
      size: PNG.bytes.length,
    });
    expect(signed).toEqual([{ file: { name: 'dot.png', type: 'image/png', size: PNG.bytes.length }, user: 'Ana', roomId: 'lobby' }]);
    await waitFor(() => expect(puts).toHaveLength(1));
    expect(puts[0]?.path).toBe('/rooms/lobby/abc123-dot.png?X-Signature=fake');
    expect(puts[0]?.headers['content-type']).toBe('image/png');
    expect(puts[0]?.headers['authorization']).toBeUndefined();
    expect(puts[0]?.headers['x-chat-auth']).toBeUndefined();
    expect(new Uint8Array(puts[0]?.body ?? [])).toEqual(PNG.bytes);
  });
});
