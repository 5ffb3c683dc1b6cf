import { get } from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkAllowedAddresses, outboundAgents, outboundHttpAgent, outboundRefusal, refusedAddress } from './outbound-agent.js';

const wording = { refused: 'nothing is fetched from', option: 'thing({ allowedAddresses })', owner: 'the server' };

/** The error of a GET through `agent` to `url` (refused before any connection is made). */
function errorOf(url: string, agent: Awaited<ReturnType<typeof outboundHttpAgent>>): Promise<Error> {
  return new Promise((resolve, reject) => {
    get(url, { agent }, () => reject(new Error(`${url} was reached`))).on('error', resolve);
  });
}

describe('the outbound agents', () => {
  it.each([
    'http://127.0.0.1:9/',
    'http://169.254.169.254/',
    'http://10.0.0.1/',
    'http://100.64.0.1/',
    'http://0.0.0.0:9/',
    'http://[::1]:9/',
  ])('refuse %s before connecting, with a sentence naming the address and the option', async (url) => {
    const agent = await outboundHttpAgent();
    const error = await errorOf(url, agent);
    const address = new URL(url).hostname.replace(/^\[(.*)\]$/u, '$1');
    expect(refusedAddress(error)).toBe(address);
    expect(outboundRefusal(error, wording)).toBe(
      `leads to ${address}, an address of a private network, which nothing is fetched from (list it in thing({ allowedAddresses }) if the server is yours)`,
    );
  });

  it('pick the agent by scheme, none for any other', async () => {
    const agents = await outboundAgents({ allowedAddresses: ['127.0.0.1/32'] });
    expect(agents.agentFor(new URL('http://a.example/'))).toBeDefined();
    expect(agents.agentFor(new URL('https://a.example/'))).not.toBe(agents.agentFor(new URL('http://a.example/')));
    expect(agents.agentFor(new URL('file:///etc/passwd'))).toBeUndefined();
    agents.release();
  });

  it('tell nothing of an error that is not a refusal', () => {
    expect(outboundRefusal(new Error('connect ECONNREFUSED 203.0.113.1:80'), wording)).toBeUndefined();
    expect(refusedAddress('DNS lookup 10.0.0.1(family:4, host:x) is not allowed')).toBeUndefined();
  });
});

describe('checkAllowedAddresses', () => {
  it('keeps addresses and CIDRs of both families', () => {
    expect(checkAllowedAddresses(['127.0.0.1/32', '10.0.0.1', 'fd00::/8', '::1'], 'thing')).toEqual([
      '127.0.0.1/32',
      '10.0.0.1',
      'fd00::/8',
      '::1',
    ]);
  });

  it.each([['localhost'], ['10.0.0.0/33'], ['::1/129'], ['10.0.0.0/8/8'], [42]])('refuses %j, naming its owner', (entry) => {
    expect(() => checkAllowedAddresses([entry], 'thing')).toThrow(/^thing: allowedAddresses: ".*" is not an address or a CIDR/u);
  });

  it('refuses what is not a list', () => {
    expect(() => checkAllowedAddresses('10.0.0.0/8', 'thing')).toThrow(
      'thing: allowedAddresses must be a list of CIDRs, such as 10.0.0.0/8.',
    );
  });
});
