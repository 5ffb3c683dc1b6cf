import { createReadStream, statSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { builtInError } from '@chat/protocol';
import type { RestHandler } from './rest-handler.js';

/** Options of `chat.widgetHandler()`. */
export interface WidgetHandlerOptions {
  /**
   * The pages' origins that may load the widget's files (`Access-Control-Allow-Origin`), or `'*'`
   * for any page. The files are the same public code for everyone and are fetched without
   * cookies, so `'*'` gives nothing away. @default '*'
   */
  origins?: '*' | readonly string[];
  /** The folder of `chat-room.min.js`. @default the installed `@chat/widget` package's `dist` */
  dir?: string;
}

/** Options of `chat.serviceWorkerHandler()`. */
export interface ServiceWorkerHandlerOptions {
  /** The service worker's file. @default the installed `@chat/widget/chat-sw.js` */
  file?: string;
}

/** A widget file's name: `chat-room.min.js`, `chat-room.es.js`, `chat-room.call.esm.js`, their maps. Never a path. */
const WIDGET_FILE = /^chat-room\.[\w-]+(?:\.[\w-]+)*\.js(?:\.map)?$/u;

/** Where the installed `@chat/widget` keeps a file; `otherwise` ends the sentence said when it is not installed. */
function installedWidgetFile(name: string, handler: string, otherwise: string): string {
  try {
    return createRequire(import.meta.url).resolve(`@chat/widget/${name}`);
  } catch (error) {
    throw builtInError(
      'VALIDATION_FAILED',
      `chat.${handler}() serves the files of @chat/widget, which is not installed here: install it (npm install @chat/widget), or ${otherwise}.`,
      { cause: error },
    );
  }
}

/**
 * Serves the widget's browser files (`chat-room.min.js` and the files it fetches next to it the
 * first time a feature is used) from wherever it is mounted, for pages on any origin given: with
 * CORS headers (a lazy file is a module, which a page on another origin may only run with them),
 * the JavaScript type, and an ETag so that a browser asks again cheaply and never runs a file of
 * an older version beside a newer `chat-room.min.js`. Anything else is passed on (`next`) or 404.
 */
export function createWidgetHandler(options: WidgetHandlerOptions = {}): RestHandler {
  const dir =
    options.dir ?? dirname(installedWidgetFile('chat-room.min.js', 'widgetHandler', 'pass { dir } with the folder of chat-room.min.js'));
  const origins = options.origins ?? '*';
  if (origins !== '*' && (!Array.isArray(origins) || origins.some((o) => typeof o !== 'string' || !/^https?:\/\/[^/]+$/u.test(o)))) {
    throw builtInError(
      'VALIDATION_FAILED',
      "widgetHandler's origins must be '*' or a list of origins such as https://portal.example (no path).",
    );
  }
  if (!isFile(join(dir, 'chat-room.min.js'))) {
    throw builtInError(
      'VALIDATION_FAILED',
      `There is no chat-room.min.js in ${dir}: give widgetHandler the folder of the widget's built files.`,
    );
  }
  return (req, res, next) => void serve(req, res, next);
  async function serve(...[req, res, next]: Parameters<RestHandler>): Promise<void> {
    const name = fileName(req);
    const stats = name === undefined ? undefined : await stat(join(dir, name)).catch(() => undefined);
    if (name === undefined || !stats?.isFile() || (req.method !== 'GET' && req.method !== 'HEAD')) {
      if (next) return next();
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('There is no such widget file.');
      return;
    }
    const origin = req.headers.origin;
    const headers: Record<string, string> = {
      'content-type': name.endsWith('.map') ? 'application/json; charset=utf-8' : 'text/javascript; charset=utf-8',
      // Pages that isolate themselves (Cross-Origin-Embedder-Policy) may load it too.
      'cross-origin-resource-policy': 'cross-origin',
    };
    if (origins === '*') headers['access-control-allow-origin'] = '*';
    else {
      headers.vary = 'Origin';
      if (typeof origin === 'string' && origins.includes(origin)) headers['access-control-allow-origin'] = origin;
    }
    sendFile(req, res, join(dir, name), stats, headers);
  }
}

/**
 * Serves the service worker that shows the chat's push notifications (`@chat/widget/chat-sw.js`)
 * at whatever path of the host's site it is mounted: as JavaScript, revalidated by ETag, with
 * `Service-Worker-Allowed: /` so that a page may register it for the whole site from any path.
 * No CORS headers: a service worker is only ever run from its page's own origin.
 */
export function createServiceWorkerHandler(options: ServiceWorkerHandlerOptions = {}): RestHandler {
  const file = options.file ?? installedWidgetFile('chat-sw.js', 'serviceWorkerHandler', 'pass { file } with the path of a service worker');
  if (!isFile(file)) {
    throw builtInError('VALIDATION_FAILED', `There is no file at ${file}: give serviceWorkerHandler the path of the service worker.`);
  }
  return (req, res, next) => void serve(req, res, next);
  async function serve(...[req, res, next]: Parameters<RestHandler>): Promise<void> {
    const stats = await stat(file).catch(() => undefined);
    if (!stats?.isFile() || (req.method !== 'GET' && req.method !== 'HEAD')) {
      if (next) return next();
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('There is no such file.');
      return;
    }
    sendFile(req, res, file, stats, { 'content-type': 'text/javascript; charset=utf-8', 'service-worker-allowed': '/' });
  }
}

/** Answers with a file (or 304 when the browser has it), with `headers`, no-cache and an ETag. */
function sendFile(req: IncomingMessage, res: ServerResponse, path: string, stats: Stats, headers: Record<string, string>): void {
  const etag = `"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`;
  const all: Record<string, string> = {
    ...headers,
    'x-content-type-options': 'nosniff',
    // Used again without a download while unchanged; asked again each time, so a deploy is seen at once.
    'cache-control': 'no-cache',
    etag,
  };
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, all).end();
    return;
  }
  all['content-length'] = String(stats.size);
  res.writeHead(200, all);
  if (req.method === 'HEAD') return void res.end();
  createReadStream(path)
    .on('error', () => res.destroy())
    .pipe(res);
}

/** The widget file a request asks for: the last segment of its path, if it names one. */
function fileName(req: IncomingMessage): string | undefined {
  const path = (req.url ?? '').split('?')[0] ?? '';
  const last = path.slice(path.lastIndexOf('/') + 1);
  return WIDGET_FILE.test(last) ? last : undefined;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
