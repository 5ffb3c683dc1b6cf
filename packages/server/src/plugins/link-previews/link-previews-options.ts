// `linkPreviews({ allowedHosts, allowedAddresses, timeoutMs, maxBytes })`: the options of the
// link-previews plugin, checked when the server is made.
import { checkAllowedAddresses } from '../../core/outbound-agent.js';

/** Options of `linkPreviews`. Off unless given. */
export interface LinkPreviewsOptions {
  /**
   * The only hosts previews are fetched from (the link's and every redirect's), such as
   * `news.example` or `*.example.com` (any subdomain). @default any host
   */
  allowedHosts?: readonly string[];
  /**
   * Addresses or CIDRs (`10.0.0.0/8`, `fd00::/8`) previews may be fetched from although private,
   * loopback or link-local: an intranet, a test's server on the loopback. Every other such address
   * is refused when the connection is made, whatever name or redirect led there. @default []
   */
  allowedAddresses?: readonly string[];
  /** How long one fetch may take in all (connecting, the headers, the body, every redirect), in ms. @default 3000 */
  timeoutMs?: number;
  /** Bytes of a page read at most: the rest is never downloaded (the tags are in its head). @default 524288 (512 KB) */
  maxBytes?: number;
  /** Bytes of a preview's image at most: a larger image is not shown. @default 2097152 (2 MB) */
  maxImageBytes?: number;
  /** The `User-Agent` the fetches send. @default DEFAULT_PREVIEW_USER_AGENT */
  userAgent?: string;
}

/** The `User-Agent` of the fetches unless the host chooses. */
export const DEFAULT_PREVIEW_USER_AGENT = 'Mozilla/5.0 (compatible; chat-link-preview/1.0)';

/** Redirects a fetch follows at most, each checked as the link was. */
const MAX_REDIRECTS = 3;

/** The options, checked, with their defaults. */
export interface LinkPreviewsConfig {
  /** Host names, lower case and in ASCII (`*.` kept for any subdomain); `undefined`: any host. */
  readonly allowedHosts: readonly string[] | undefined;
  readonly allowedAddresses: readonly string[];
  readonly timeoutMs: number;
  readonly maxBytes: number;
  readonly maxImageBytes: number;
  readonly userAgent: string;
  readonly maxRedirects: number;
}

/** Checks the options; throws a `TypeError` with a sentence naming what is wrong. */
export function linkPreviewsConfig(options: LinkPreviewsOptions = {}): LinkPreviewsConfig {
  if (typeof options !== 'object' || options === null) throw new TypeError('linkPreviews: the options must be an object.');
  const userAgent = options.userAgent ?? DEFAULT_PREVIEW_USER_AGENT;
  if (typeof userAgent !== 'string' || !/^[\x20-\x7e]{1,200}$/u.test(userAgent)) {
    throw new TypeError('linkPreviews: userAgent must be 1 to 200 printable ASCII characters.');
  }
  return Object.freeze({
    allowedHosts: options.allowedHosts === undefined ? undefined : Object.freeze(hosts(options.allowedHosts)),
    allowedAddresses: Object.freeze(checkAllowedAddresses(options.allowedAddresses ?? [], 'linkPreviews')),
    timeoutMs: whole('timeoutMs', options.timeoutMs, 3000, 60_000),
    maxBytes: whole('maxBytes', options.maxBytes, 512 * 1024, 16 * 1024 * 1024),
    maxImageBytes: whole('maxImageBytes', options.maxImageBytes, 2 * 1024 * 1024, 32 * 1024 * 1024),
    userAgent,
    maxRedirects: MAX_REDIRECTS,
  });
}

/** Whether previews may be fetched from `hostname` (a URL's, so lower case and in ASCII). */
export function hostAllowed(config: Pick<LinkPreviewsConfig, 'allowedHosts'>, hostname: string): boolean {
  if (config.allowedHosts === undefined) return true;
  return config.allowedHosts.some((entry) =>
    entry.startsWith('*.') ? hostname.endsWith(entry.slice(1)) && hostname.length > entry.length - 1 : hostname === entry,
  );
}

function hosts(list: unknown): string[] {
  if (!Array.isArray(list) || list.length === 0) {
    throw new TypeError('linkPreviews: allowedHosts must be a list of host names, such as news.example or *.example.com.');
  }
  return list.map((entry: unknown) => {
    const text = typeof entry === 'string' ? entry : '';
    const wildcard = text.startsWith('*.');
    const name = wildcard ? text.slice(2) : text;
    // Only a name: no scheme, port, path or user; the URL parser writes it as URLs' hostnames are.
    let hostname = '';
    if (name.length > 0 && !/[\s/:@?#*\\[\]]/u.test(name)) {
      try {
        hostname = new URL(`http://${name}/`).hostname;
      } catch {
        hostname = '';
      }
    }
    if (hostname === '') {
      throw new TypeError(`linkPreviews: allowedHosts: "${String(entry)}" is not a host name such as news.example or *.example.com.`);
    }
    return wildcard ? `*.${hostname}` : hostname;
  });
}

function whole(name: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw new TypeError(`linkPreviews: ${name} must be a whole number from 1 to ${max}.`);
  }
  return value;
}

/** What the plugin adds to the fetches' options: where images are served, and the rates. */
export interface LinkPreviewsSettings {
  readonly config: LinkPreviewsConfig;
  /** Where readers fetch a preview's image (`<publicPath>/<hash>`), without a trailing `/`. */
  readonly publicPath: string;
  readonly perUserPerMinute: number;
  readonly perHostPerMinute: number;
  /** How often the cache is swept of links fetched over a day ago, in ms. */
  readonly sweepEveryMs: number;
}

/** Options of the `linkPreviews()` plugin: the fetches', and where its images are served. */
export interface LinkPreviewsPluginOptions extends LinkPreviewsOptions {
  /**
   * Where readers fetch a preview's image: where `chat.httpHandler()` is mounted, then `/previews`;
   * a path on the chat server's host, or an absolute URL. @default '/chat/previews'
   */
  publicPath?: string;
  /** Links one user may have fetched a minute (a link cached lately costs nothing). @default 20 */
  perUserPerMinute?: number;
  /** Fetches from one site a minute, on each process. @default 60 */
  perHostPerMinute?: number;
  /**
   * @internal How often the cache is swept of links fetched over a day ago, in ms, for tests.
   * @default 3_600_000 (an hour)
   */
  sweepEveryMs?: number;
}

/** The plugin's options, checked, with their defaults; throws a `TypeError` naming what is wrong. */
export function linkPreviewsSettings(options: LinkPreviewsPluginOptions = {}): LinkPreviewsSettings {
  const { publicPath = '/chat/previews', perUserPerMinute, perHostPerMinute, sweepEveryMs, ...fetches } = options;
  if (typeof publicPath !== 'string' || !(publicPath.startsWith('/') || /^https?:\/\//u.test(publicPath))) {
    throw new TypeError('linkPreviews: publicPath must be a path such as /chat/previews, or an absolute http(s) URL.');
  }
  return Object.freeze({
    config: linkPreviewsConfig(fetches),
    publicPath: publicPath.replace(/\/+$/u, ''),
    perUserPerMinute: whole('perUserPerMinute', perUserPerMinute, 20, 10_000),
    perHostPerMinute: whole('perHostPerMinute', perHostPerMinute, 60, 100_000),
    sweepEveryMs: whole('sweepEveryMs', sweepEveryMs, 3_600_000, 86_400_000),
  });
}
