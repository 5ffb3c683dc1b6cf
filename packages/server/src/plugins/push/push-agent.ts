// The agent pushes are sent through: the server's outbound agent (core/outbound-agent.ts), which
// refuses private, loopback, link-local, CGNAT and metadata addresses at connect time unless the
// host listed them in `allowedAddresses`. Loaded with `web-push`, on the first push.
import type { Agent } from 'node:https';
import { outboundHttpsAgent, outboundRefusal, type RefusalWording } from '../../core/outbound-agent.js';
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
  const agent = await outboundHttpsAgent({ keepAlive: true, allowedAddresses: config.allowedAddresses, ca: config.ca });
  return { agent, release: () => agent.destroy() };
}

const PUSH_REFUSAL: RefusalWording = {
  refused: 'pushes are not sent to',
  option: 'webPush({ allowedAddresses })',
  owner: 'the push service',
};

/** The sentence for an error of the filtering agent (a connection it refused), if that is what it is. */
export function inwardRefusal(error: unknown): string | undefined {
  return outboundRefusal(error, PUSH_REFUSAL);
}
