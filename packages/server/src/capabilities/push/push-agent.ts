// The agent pushes are sent through: `request-filtering-agent`'s, which checks the address a
// connection is about to be made to (an IP literal, or what the name resolved to, at connect time)
// and refuses private, loopback, link-local, CGNAT and metadata addresses, unless the host listed
// them in `allowedAddresses`. A name that resolves inward, or resolves elsewhere for a check than
// for the request, fails the same way. Loaded with `web-push`, on the first push.
import type { Agent } from 'node:https';
import type { WebPush } from './web-push-options.js';

/** The agent of the pushes, and what to do with it when the server closes. */
export interface PushAgent {
  agent: Agent;
  /** Closes the connections kept open (only those of an agent made here; the host's own is theirs). */
  release(): void;
}

/** The host's `agent`, or a filtering agent trusting `ca` and letting `allowedAddresses` through. */
export async function pushAgent(config: Pick<WebPush, 'agent' | 'allowedAddresses' | 'ca'>): Promise<PushAgent> {
  if (config.agent) return { agent: config.agent, release: () => undefined };
  const { RequestFilteringHttpsAgent } = await import('request-filtering-agent');
  const agent = new RequestFilteringHttpsAgent({
    keepAlive: true,
    allowIPAddressList: [...config.allowedAddresses],
    ...(config.ca.length > 0 && { ca: [...config.ca] }),
  });
  return { agent, release: () => agent.destroy() };
}

/** The sentence for an error of the filtering agent (a connection it refused), if that is what it is. */
export function inwardRefusal(error: unknown): string | undefined {
  const message = error instanceof Error ? error.message : '';
  const address = /^DNS lookup (\S+?)\(family:.*is not allowed/u.exec(message)?.[1];
  if (address === undefined) return undefined;
  return `leads to ${address}, an address of a private network, which pushes are not sent to (list it in webPush({ allowedAddresses }) if the push service is yours)`;
}
