import { describe, expect, it } from 'vitest';
import { DEFAULT_PREVIEW_USER_AGENT, hostAllowed, linkPreviewsConfig, type LinkPreviewsOptions } from './link-previews-options.js';

describe('linkPreviewsConfig', () => {
  it('has the defaults of the issue: 3 s, 512 KB, 2 MB images, 3 redirects, any host, no private address', () => {
    expect(linkPreviewsConfig()).toEqual({
      allowedHosts: undefined,
      allowedAddresses: [],
      timeoutMs: 3000,
      maxBytes: 524_288,
      maxImageBytes: 2_097_152,
      userAgent: DEFAULT_PREVIEW_USER_AGENT,
      maxRedirects: 3,
    });
  });

  it('writes allowed hosts as URLs write host names (lower case, ASCII), keeping *.', () => {
    expect(linkPreviewsConfig({ allowedHosts: ['News.Example', '*.Bücher.example', '127.0.0.1'] }).allowedHosts).toEqual([
      'news.example',
      '*.xn--bcher-kva.example',
      '127.0.0.1',
    ]);
  });

  it.each<[LinkPreviewsOptions, RegExp]>([
    [{ allowedHosts: [] }, /allowedHosts must be a list of host names/u],
    [{ allowedHosts: ['https://news.example'] }, /allowedHosts: "https:\/\/news.example" is not a host name/u],
    [{ allowedHosts: ['news.example:8080'] }, /"news.example:8080" is not a host name/u],
    [{ allowedHosts: ['a.*.example'] }, /"a.\*.example" is not a host name/u],
    [{ allowedAddresses: ['localhost'] }, /linkPreviews: allowedAddresses: "localhost" is not an address or a CIDR/u],
    [{ allowedAddresses: ['10.0.0.0/33'] }, /CIDR/u],
    [{ timeoutMs: 0 }, /timeoutMs must be a whole number from 1 to 60000/u],
    [{ timeoutMs: 1.5 }, /timeoutMs/u],
    [{ maxBytes: -1 }, /maxBytes must be a whole number/u],
    [{ maxImageBytes: Number.NaN }, /maxImageBytes must be a whole number/u],
    [{ userAgent: 'bad\nagent' }, /userAgent must be 1 to 200 printable ASCII characters/u],
  ])('refuses %j with a TypeError that says what is wrong', (options, message) => {
    expect(() => linkPreviewsConfig(options)).toThrow(TypeError);
    expect(() => linkPreviewsConfig(options)).toThrow(message);
  });
});

describe('hostAllowed', () => {
  const config = linkPreviewsConfig({ allowedHosts: ['news.example', '*.cdn.example'] });

  it('lets a listed host and any subdomain of a *. entry through, nothing else', () => {
    expect(hostAllowed(config, 'news.example')).toBe(true);
    expect(hostAllowed(config, 'img.cdn.example')).toBe(true);
    expect(hostAllowed(config, 'a.b.cdn.example')).toBe(true);
    expect(hostAllowed(config, 'cdn.example')).toBe(false);
    expect(hostAllowed(config, 'evilcdn.example')).toBe(false);
    expect(hostAllowed(config, 'news.example.evil')).toBe(false);
    expect(hostAllowed(config, 'sub.news.example')).toBe(false);
  });

  it('lets any host through without allowedHosts', () => {
    expect(hostAllowed(linkPreviewsConfig(), 'anything.example')).toBe(true);
  });
});
