import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { track } from './tracked.js';

/** One request a receiver got: its headers and raw body, as sent. */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body's bytes (a binary body, such as an encrypted push). */
  raw: Buffer;
}

/** How a receiver answers a request: a status (200 by default), or `'hang'` to never answer. */
export type ReceiverAnswer = number | 'hang' | { status: number; headers?: Record<string, string>; body?: string };

/** A real HTTP server on 127.0.0.1 that records what it receives; closed after the test. */
export interface HttpReceiver {
  url: string;
  requests: ReceivedRequest[];
}

/**
 * Starts an HTTP server on 127.0.0.1:0 that records every request and answers what `answer`
 * says for it (the request and how many came before it), when its promise resolves if it returns one. Hanging requests are cut when it closes.
 * With `tls` (a key and certificate in PEM) it speaks HTTPS.
 */
export async function startReceiver(
  answer: (request: ReceivedRequest, index: number) => ReceiverAnswer | Promise<ReceiverAnswer> = () => 200,
  tls?: { key: string; cert: string },
): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const received: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        raw: Buffer.concat(chunks),
      };
      const index = requests.length;
      requests.push(received);
      hanging.add(res);
      void Promise.resolve(answer(received, index)).then((reply) => {
        if (reply === 'hang' || res.destroyed) return;
        hanging.delete(res);
        const { status, headers = {}, body = '' } = typeof reply === 'number' ? { status: reply } : reply;
        res.writeHead(status, headers).end(body);
      });
    });
  };
  const server = tls ? createHttpsServer(tls, onRequest) : createServer(onRequest);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  track(async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`, requests };
}
