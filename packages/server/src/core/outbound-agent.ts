// The one way out for every request the server makes on a user's behalf (a push, a link preview, a
// webhook to a URL a user gave): `request-filtering-agent`'s agents, which check the address a
// connection is about to be made to (an IP literal, or what the name resolved to, at connect time)
// and refuse private, loopback, link-local, CGNAT and metadata addresses, unless the host listed
// them in `allowedAddresses`. A name that resolves inward, a redirect inward, or a name that
// resolves elsewhere for a check than for the request all fail the same way, because the check is
// the connection's own. The package is loaded on the first agent made, not with the server.
import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { isIP } from 'node:net';

/** Options of the outbound agents. */
export interface OutboundAgentOptions {
  /** Addresses or CIDRs let through although private, loopback or link-local (checked by {@link checkAllowedAddresses}). @default [] */
  allowedAddresses?: readonly string[];
  /** Certificate authorities (PEM) trusted besides Node's, for HTTPS. @default [] */
  ca?: readonly string[];
  /** Keep connections open for the next request to the same place. @default false */
  keepAlive?: boolean;
}

function filterOptions(options: OutboundAgentOptions) {
  return {
    keepAlive: options.keepAlive ?? false,
    allowIPAddressList: [...(options.allowedAddresses ?? [])],
    ...(options.ca !== undefined && options.ca.length > 0 && { ca: [...options.ca] }),
  };
}

/** A filtering agent for `https:` requests. */
export async function outboundHttpsAgent(options: OutboundAgentOptions = {}): Promise<HttpsAgent> {
  const { RequestFilteringHttpsAgent } = await import('request-filtering-agent');
  return new RequestFilteringHttpsAgent(filterOptions(options));
}

/** A filtering agent for `http:` requests. */
export async function outboundHttpAgent(options: OutboundAgentOptions = {}): Promise<HttpAgent> {
  const { RequestFilteringHttpAgent } = await import('request-filtering-agent');
  const { ca: _ca, ...http } = filterOptions(options);
  return new RequestFilteringHttpAgent(http);
}

/** Both filtering agents, the one for a URL picked by its scheme. */
export interface OutboundAgents {
  /** The agent for `url` (`http:` or `https:`); `undefined` for any other scheme, which is never fetched. */
  agentFor(url: URL): HttpAgent | undefined;
  /** Closes the connections kept open. */
  release(): void;
}

/** An `http:` and an `https:` filtering agent, sharing their options. */
export async function outboundAgents(options: OutboundAgentOptions = {}): Promise<OutboundAgents> {
  const [http, https] = await Promise.all([outboundHttpAgent(options), outboundHttpsAgent(options)]);
  return {
    agentFor: (url) => (url.protocol === 'http:' ? http : url.protocol === 'https:' ? https : undefined),
    release: () => {
      http.destroy();
      https.destroy();
    },
  };
}

/** The address a filtering agent refused to connect to, if that is what `error` is. */
export function refusedAddress(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : '';
  return /^DNS lookup (\S+?)\(family:.*is not allowed/u.exec(message)?.[1];
}

/** How a refusal is told: `which ${refused} (list it in ${option} if ${owner} is yours)`. */
export interface RefusalWording {
  /** What is not done there: "pushes are not sent to". */
  refused: string;
  /** The option that lets it through: "webPush({ allowedAddresses })". */
  option: string;
  /** Whose address it would be: "the push service". */
  owner: string;
}

/** The sentence for an error of a filtering agent (a connection it refused), if that is what it is. */
export function outboundRefusal(error: unknown, wording: RefusalWording): string | undefined {
  const address = refusedAddress(error);
  if (address === undefined) return undefined;
  return `leads to ${address}, an address of a private network, which ${wording.refused} (list it in ${wording.option} if ${wording.owner} is yours)`;
}

/** Checks an `allowedAddresses` option (addresses or CIDRs); throws a TypeError naming `owner` and the bad entry. */
export function checkAllowedAddresses(list: unknown, owner: string): string[] {
  if (!Array.isArray(list)) throw new TypeError(`${owner}: allowedAddresses must be a list of CIDRs, such as 10.0.0.0/8.`);
  return list.map((cidr: unknown) => {
    const [address = '', bits, ...rest] = typeof cidr === 'string' ? cidr.split('/') : [];
    const family = isIP(address);
    const max = family === 6 ? 128 : 32;
    if (family === 0 || rest.length > 0 || (bits !== undefined && !(/^\d{1,3}$/u.test(bits) && Number(bits) <= max))) {
      throw new TypeError(`${owner}: allowedAddresses: "${String(cidr)}" is not an address or a CIDR (such as 10.0.0.0/8).`);
    }
    return cidr as string;
  });
}
