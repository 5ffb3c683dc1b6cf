import { describe, expect, it } from 'vitest';
import { firstHttpLink, isHttpUrl, linkify } from './text-links.js';

describe('linkify', () => {
  it('links http(s) only, leaves trailing punctuation out, keeps the rest as text', () => {
    expect(linkify('see https://a.example/x?y=1. and javascript:alert(1) or www.b.example')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://a.example/x?y=1', href: 'https://a.example/x?y=1' },
      { kind: 'text', text: '. and javascript:alert(1) or www.b.example' },
    ]);
    expect(linkify('(http://w.example/wiki/A_(b))')[1]).toEqual({
      kind: 'link',
      text: 'http://w.example/wiki/A_(b))',
      href: 'http://w.example/wiki/A_(b))',
    });
    expect(linkify('<script>')).toEqual([{ kind: 'text', text: '<script>' }]);
  });

  it('tells http(s) URLs from the rest', () => {
    expect([isHttpUrl('https://x.example'), isHttpUrl('javascript:alert(1)'), isHttpUrl('data:text/html,x'), isHttpUrl('nope')]).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });
});

describe('firstHttpLink', () => {
  it('is the first http(s) link of the text, as written', () => {
    expect(firstHttpLink('look: https://a.example/one, then http://b.example/two')).toBe('https://a.example/one');
    expect(firstHttpLink('HTTP://A.example/Caps')).toBe('HTTP://A.example/Caps');
  });

  it('is nothing when no link parses as an http(s) URL', () => {
    expect(firstHttpLink('no link here, ftp://files.example or javascript:alert(1)')).toBeUndefined();
    // Matched by the pattern but not a URL (no host): skipped for the next.
    expect(firstHttpLink('http://[bad then https://ok.example/')).toBe('https://ok.example/');
    expect(firstHttpLink('')).toBeUndefined();
  });
});
