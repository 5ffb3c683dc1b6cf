// Where the server may POST pushes: a subscription's endpoint must start with one of the
// `allowedEndpoints` prefixes, so that no subscription can point the server at anything else.
// The check parses an endpoint twice, as the WHATWG URL the rules read and as Node's legacy
// `url.parse` the `web-push` package sends with, and refuses any endpoint the two read apart
// (`https://127.0.0.1;.notify.windows.com/` is a host under notify.windows.com for one and
// 127.0.0.1 for the other). What the endpoint's name resolves to is checked at connect time, by
// the agent the pushes are sent through (push-agent.ts).
import { parse as legacyParse } from 'node:url';

interface Rule {
  /** The host, or with `wildcard` the suffix a host must end with (`.notify.windows.com`). */
  host: string;
  wildcard: boolean;
  port: string;
  path: string;
}

/** A host name of letters, digits and hyphens in dot-separated labels (what WHATWG URL lowercased). */
const PLAIN_HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/u;
/** Printable ASCII and nothing else: no spaces, controls or characters a parser may drop or map. */
const PRINTABLE = /^[\x21-\x7e]{1,2048}$/u;

/**
 * An endpoint as both parsers read it, or `undefined` when it is not an https URL in canonical form
 * with a plain host, or when the legacy parser reads another host, port or path from it.
 */
function plainEndpoint(endpoint: string): URL | undefined {
  if (typeof endpoint !== 'string' || !PRINTABLE.test(endpoint)) return undefined;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return undefined;
  }
  if (url.href !== endpoint || url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.hash !== '') {
    return undefined;
  }
  if (!PLAIN_HOST.test(url.hostname)) return undefined;
  const legacy = legacyParse(endpoint);
  const same =
    legacy.protocol === 'https:' &&
    legacy.auth === null &&
    legacy.hostname === url.hostname &&
    (legacy.port ?? '') === url.port &&
    legacy.path === `${url.pathname}${url.search}`;
  return same ? url : undefined;
}

/** The `allowedEndpoints` of `webPush`, compiled: https URL prefixes, hosts exact or `*.` subdomains. */
export class EndpointRules {
  readonly #rules: Rule[];

  constructor(prefixes: readonly string[]) {
    if (!Array.isArray(prefixes) || prefixes.length === 0) {
      throw new TypeError('webPush: allowedEndpoints must be a non-empty list of https:// URL prefixes.');
    }
    this.#rules = prefixes.map(compile);
  }

  /** Whether the server may POST to this endpoint (a plain https URL under one of the prefixes). */
  allows(endpoint: string): boolean {
    const url = plainEndpoint(endpoint);
    if (!url) return false;
    return this.#rules.some(
      (rule) =>
        (rule.wildcard ? url.hostname.endsWith(rule.host) : url.hostname === rule.host) &&
        url.port === rule.port &&
        url.pathname.startsWith(rule.path),
    );
  }
}

function compile(prefix: string): Rule {
  const bad = () =>
    new TypeError(`webPush: allowedEndpoints: "${String(prefix)}" is not an https:// URL prefix (such as https://fcm.googleapis.com/).`);
  if (typeof prefix !== 'string') throw bad();
  const wildcard = /^https:\/\/\*\./u.test(prefix);
  let url: URL;
  try {
    url = new URL(wildcard ? prefix.replace('*.', 'wildcard.') : prefix);
  } catch {
    throw bad();
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.search !== '' || url.hash !== '') throw bad();
  if (!PLAIN_HOST.test(url.hostname)) throw bad();
  // A prefix ends its host with a '/': https://fcm.googleapis.com must not allow https://fcm.googleapis.com.evil.example.
  const host = wildcard ? url.hostname.slice('wildcard'.length) : url.hostname;
  return { host, wildcard, port: url.port, path: url.pathname };
}
