// One GET on a user's behalf, safe by construction: every connection through the filtering agents
// (core/outbound-agent.ts), so an address is checked when it is connected to, whatever name or
// redirect led there; at most `maxRedirects` redirects, each checked as the link was (http or
// https, no user or password, an allowed host); one deadline for the whole of it; the body read
// up to `maxBytes`, then the connection cut. URLs are parsed by one parser, WHATWG `URL`, only.
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { outboundRefusal, type OutboundAgents } from '../../core/outbound-agent.js';
import { hostAllowed, type LinkPreviewsConfig } from './link-previews-options.js';
import { failed, PreviewFailureReason, type Outcome, type PreviewFailure } from './preview-outcome.js';

/** What a GET needs: the agents, the host's options, and this fetch's own bounds. */
export interface OutboundGetSettings {
  readonly agents: OutboundAgents;
  readonly config: Pick<LinkPreviewsConfig, 'allowedHosts' | 'timeoutMs' | 'maxRedirects' | 'userAgent'>;
  /** Bytes of the body read at most. */
  readonly maxBytes: number;
  /** The `Accept` header. */
  readonly accept: string;
  /** Resolves names instead of `dns.lookup` (what it answers is checked all the same). */
  readonly lookup?: LookupFunction;
}

/** The answer's status line and headers, as a reader decides on them. */
export interface ResponseHead {
  /** Where the answer came from (after the redirects). */
  readonly url: URL;
  /** The media type, lower case, without parameters: `text/html`; '' without a `Content-Type`. */
  readonly mediaType: string;
  /** The `charset` parameter of the `Content-Type`, if any. */
  readonly charset: string | undefined;
  /** The `Content-Length`, if given (of the body as sent, before any decompression). */
  readonly contentLength: number | undefined;
}

/** Takes an answer's body chunk by chunk. */
export interface BodyReader<T> {
  /** Takes the next chunk; returns true when it has what it needs (the rest is not downloaded). */
  write(chunk: Uint8Array): boolean;
  /** The value, once the body ended, was `cut` at `maxBytes`, or the reader had enough. */
  end(cut: boolean): Outcome<T>;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const REFUSAL = {
  refused: 'link previews are not fetched from',
  option: 'linkPreviews({ allowedAddresses })',
  owner: 'the site',
} as const;

/** Checks a link, or a redirect's target against `base`, as a URL to fetch: http(s), no user or password, an allowed host. */
function fetchableUrl(link: string | URL, config: Pick<LinkPreviewsConfig, 'allowedHosts'>, base?: URL): Outcome<URL> {
  let url: URL;
  try {
    url = new URL(link, base);
  } catch {
    return failed(PreviewFailureReason.BadLink, `"${String(link).slice(0, 200)}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return failed(PreviewFailureReason.BadLink, `${url.protocol} URLs are not fetched, only http: and https: (${url.href.slice(0, 200)})`);
  }
  if (url.username !== '' || url.password !== '') {
    return failed(PreviewFailureReason.BadLink, `${url.host} is given with a user name or password, which previews never send`);
  }
  if (!hostAllowed(config, url.hostname)) {
    return failed(PreviewFailureReason.HostNotAllowed, `${url.hostname} is not in linkPreviews({ allowedHosts })`);
  }
  return { ok: true, value: url };
}

/**
 * GETs `link`, following redirects, and hands the body of the final 2xx answer to the reader
 * `read` makes for it (or the failure it returns for its head). Never throws.
 */
export async function outboundGet<T>(
  link: string | URL,
  settings: OutboundGetSettings,
  read: (head: ResponseHead) => BodyReader<T> | PreviewFailure,
): Promise<Outcome<T>> {
  const first = fetchableUrl(link, settings.config);
  if (!first.ok) return first;
  const exchange = new Exchange(settings);
  try {
    return await exchange.run(first.value, read);
  } catch (error) {
    return exchange.failure(error);
  } finally {
    exchange.close();
  }
}

/** One fetch's requests in turn, under one deadline. */
class Exchange {
  readonly #settings: OutboundGetSettings;
  readonly #timer: NodeJS.Timeout;
  #timedOut = false;
  #request: ClientRequest | undefined;
  #streams: Readable[] = [];
  #url: URL | undefined;
  #onTimeout: (() => void) | undefined;

  constructor(settings: OutboundGetSettings) {
    this.#settings = settings;
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.close();
      this.#onTimeout?.();
    }, settings.config.timeoutMs);
  }

  async run<T>(start: URL, read: (head: ResponseHead) => BodyReader<T> | PreviewFailure): Promise<Outcome<T>> {
    let url = start;
    for (let redirects = 0; ; redirects++) {
      const response = await this.#send(url);
      const status = response.statusCode ?? 0;
      if (REDIRECTS.has(status)) {
        response.destroy();
        const location = response.headers.location;
        if (location === undefined) return failed(PreviewFailureReason.HttpStatus, `${url.href} answered ${status} without a Location`);
        if (redirects === this.#settings.config.maxRedirects) {
          return failed(
            PreviewFailureReason.TooManyRedirects,
            `${start.href} redirected more than ${this.#settings.config.maxRedirects} times`,
          );
        }
        const next = fetchableUrl(location, this.#settings.config, url);
        if (!next.ok) return failed(next.reason, `${url.href} redirected to a URL that is not fetched: ${next.message}`);
        url = next.value;
        continue;
      }
      if (status < 200 || status > 299) {
        response.destroy();
        return failed(PreviewFailureReason.HttpStatus, `${url.href} answered ${status}`);
      }
      const reader = read(headOf(url, response));
      if (!('write' in reader)) {
        response.destroy();
        return reader;
      }
      const body = decoded(response);
      if (body === undefined) {
        response.destroy();
        const encoding = String(response.headers['content-encoding']);
        return failed(PreviewFailureReason.Unreachable, `${url.href} sent its body in an encoding previews do not read (${encoding})`);
      }
      return reader.end(await this.#readBody(body, reader));
    }
  }

  /** The failure a thrown error (a refusal, the deadline, a broken connection) stands for. */
  failure(error: unknown): PreviewFailure {
    const where = this.#url?.href ?? 'the link';
    if (this.#timedOut) {
      return failed(PreviewFailureReason.Timeout, `${where} took more than ${this.#settings.config.timeoutMs} ms to answer in full`);
    }
    const refusal = outboundRefusal(error, REFUSAL);
    if (refusal !== undefined) return failed(PreviewFailureReason.RefusedAddress, `${where} ${refusal}`);
    const code = (error as { code?: unknown } | null)?.code;
    const cause = typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
    return failed(PreviewFailureReason.Unreachable, `${where} could not be fetched (${cause})`);
  }

  /** Stops whatever is under way: the deadline passed, or the fetch is over. */
  close(): void {
    clearTimeout(this.#timer);
    this.#request?.destroy();
    for (const stream of this.#streams) stream.destroy();
  }

  #send(url: URL): Promise<IncomingMessage> {
    this.#url = url;
    const { agents, config, accept, lookup } = this.#settings;
    return new Promise<IncomingMessage>((resolve, reject) => {
      if (this.#timedOut) return reject(new Error('timed out'));
      this.#onTimeout = () => reject(new Error('timed out'));
      // Never Node's global agent, which checks no address.
      const agent = agents.agentFor(url);
      if (agent === undefined) return reject(new Error(`no outbound agent for ${url.protocol}`));
      const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)({
        protocol: url.protocol,
        // `URL` writes an IPv6 host in brackets; a request takes it without.
        hostname: url.hostname.replace(/^\[(.*)\]$/u, '$1'),
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        agent,
        headers: { accept, 'accept-encoding': 'identity', 'user-agent': config.userAgent },
        ...(lookup !== undefined && { lookup }),
      });
      this.#request = request;
      request.once('response', (response) => {
        this.#streams.push(response);
        // A response cut when the fetch stops (its deadline, enough read) emits an error no one needs.
        response.on('error', () => undefined);
        resolve(response);
      });
      // Kept after the response: a request destroyed later must not throw for want of a listener.
      request.on('error', reject);
      request.end();
    });
  }

  /** Reads the body into the reader until it ends, the reader has enough, or `maxBytes` (then it is `cut`: true). */
  #readBody<T>(body: Readable, reader: BodyReader<T>): Promise<boolean> {
    this.#streams.push(body);
    const maxBytes = this.#settings.maxBytes;
    return new Promise<boolean>((resolve, reject) => {
      let read = 0;
      let over = false;
      const finish = (cut: boolean) => {
        if (over) return;
        over = true;
        body.removeAllListeners('data');
        resolve(cut);
      };
      this.#onTimeout = () => reject(new Error('timed out'));
      body.on('data', (chunk: Buffer) => {
        if (over) return;
        const room = maxBytes - read;
        const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
        read += part.length;
        if (reader.write(part)) finish(false);
        else if (chunk.length > room) finish(true);
      });
      body.once('end', () => finish(false));
      // Kept after the end: a stream destroyed later must not throw for want of a listener.
      body.on('error', (error) => {
        if (!over) reject(error);
      });
      body.once('close', () => {
        if (!over) reject(new Error('the connection closed before the body ended'));
      });
    });
  }
}

function headOf(url: URL, response: IncomingMessage): ResponseHead {
  const [type = '', ...parameters] = (response.headers['content-type'] ?? '').split(';');
  const charset = parameters
    .map((parameter) => parameter.trim().split('='))
    .find(([name]) => name?.toLowerCase() === 'charset')?.[1]
    ?.replace(/^"(.*)"$/u, '$1');
  const length = Number(response.headers['content-length']);
  return {
    url,
    mediaType: type.trim().toLowerCase(),
    charset,
    contentLength: Number.isSafeInteger(length) && length >= 0 ? length : undefined,
  };
}

// `identity` was asked for; a site that compresses all the same is read through zlib, its bytes
// counted after decompression (so `maxBytes` bounds what a small compressed body can become).
function decoded(response: IncomingMessage): Readable | undefined {
  const encoding = (response.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return response;
  const decompress =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : undefined;
  if (decompress === undefined) return undefined;
  response.pipe(decompress);
  response.on('error', (error) => decompress.destroy(error));
  return decompress;
}
