import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { track } from './tracked.js';

/** How a stand-in site answers one path. */
export type SiteRoute = (request: IncomingMessage, response: ServerResponse) => void;

/** A real HTTP server standing in for a website; closed after the test. */
export interface StandInSite {
  /** `http://<host>:<port>`, no trailing slash. */
  url: string;
  port: number;
  /** The paths asked for, in order (a path not in the routes answers 404). */
  hits: string[];
}

/**
 * Starts an HTTP server on `host` (127.0.0.1 unless given), port 0, answering each path by its
 * route. Connections still open (a page that never ends) are cut when it closes.
 */
export async function startSite(routes: Record<string, SiteRoute>, host = '127.0.0.1'): Promise<StandInSite> {
  const hits: string[] = [];
  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    hits.push(path);
    const route = routes[path];
    if (route) route(request, response);
    else response.writeHead(404, { 'content-type': 'text/plain' }).end('not here');
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  track(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://${host}:${port}`, port, hits };
}

/** A route answering `body` with `type` and status 200. */
export function serve(type: string, body: string | Uint8Array, headers: Record<string, string> = {}): SiteRoute {
  return (_request, response) => response.writeHead(200, { 'content-type': type, ...headers }).end(body);
}

/** A route redirecting (302) to `location`. */
export function redirect(location: string, status = 302): SiteRoute {
  return (_request, response) => response.writeHead(status, { location }).end();
}
