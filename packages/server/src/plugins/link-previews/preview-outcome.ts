// What a link preview's fetch comes to: a value, or why there is none, as a sentence a person
// reading the server's log understands. Never thrown: a link that cannot be previewed is ordinary.

/** Why a link has no preview (or a preview no image). */
export const PreviewFailureReason = {
  /** Not an http(s) URL, or one with a user name or password in it. */
  BadLink: 'bad-link',
  /** Its host is not in `allowedHosts`. */
  HostNotAllowed: 'host-not-allowed',
  /** It leads to a private, loopback, link-local, CGNAT or metadata address not in `allowedAddresses`. */
  RefusedAddress: 'refused-address',
  /** More redirects than allowed (3). */
  TooManyRedirects: 'too-many-redirects',
  /** The whole fetch (connecting, the headers, the body, every redirect) took longer than `timeoutMs`. */
  Timeout: 'timeout',
  /** An image larger than `maxImageBytes`. */
  TooLarge: 'too-large',
  /** The page is not `text/html`. */
  NotHtml: 'not-html',
  /** The image is not a PNG, JPEG, GIF or WebP by its bytes. */
  NotImage: 'not-image',
  /** The site answered with a status other than 2xx (or a redirect without a Location). */
  HttpStatus: 'http-status',
  /** The page has no title to show. */
  NoTitle: 'no-title',
  /** No answer: the name does not resolve, the connection failed or broke, the body could not be read. */
  Unreachable: 'unreachable',
} as const;
/** Why a link has no preview: one of {@link PreviewFailureReason}. */
export type PreviewFailureReason = (typeof PreviewFailureReason)[keyof typeof PreviewFailureReason];

/** No value, and why. */
export interface PreviewFailure {
  readonly ok: false;
  readonly reason: PreviewFailureReason;
  /** A sentence for the server's log, naming the URL: "http://a.example/ answered 404". */
  readonly message: string;
}

/** A value, or why there is none. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | PreviewFailure;

/** A failure of `reason`, told by `message`. */
export function failed(reason: PreviewFailureReason, message: string): PreviewFailure {
  return { ok: false, reason, message };
}
