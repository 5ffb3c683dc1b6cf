// Where the server may POST pushes: a subscription's endpoint must start with one of the
// `allowedEndpoints` prefixes, so that no subscription can point the server at anything else.

interface Rule {
  /** The host, or with `wildcard` the suffix a host must end with (`.notify.windows.com`). */
  host: string;
  wildcard: boolean;
  port: string;
  path: string;
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

  /** Whether the server may POST to this endpoint (an https URL under one of the prefixes). */
  allows(endpoint: string): boolean {
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      return false;
    }
    if (url.protocol !== 'https:' || url.username !== '' || url.password !== '') return false;
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
  // A prefix ends its host with a '/': https://fcm.googleapis.com must not allow https://fcm.googleapis.com.evil.example.
  const host = wildcard ? url.hostname.slice('wildcard'.length) : url.hostname;
  return { host, wildcard, port: url.port, path: url.pathname };
}
