import { describe, expect, it } from 'vitest';
import { PageMetaParser, type PageMeta } from './page-meta.js';

function parse(...pieces: string[]): { meta: PageMeta; stoppedAt: number | undefined } {
  const parser = new PageMetaParser();
  let stoppedAt: number | undefined;
  for (const [i, piece] of pieces.entries()) {
    if (parser.write(piece)) {
      stoppedAt = i;
      break;
    }
  }
  return { meta: parser.end(), stoppedAt };
}

describe('PageMetaParser', () => {
  it('reads Open Graph tags first, then Twitter, then <title> and the description meta', () => {
    const head = `<!doctype html><html><head>
      <title>Plain title</title>
      <meta name="twitter:title" content="Twitter title">
      <meta property="og:title" content="OG &amp; title">
      <meta name="description" content="Meta description">
      <meta name="twitter:description" content="Twitter description">
      <meta property="og:site_name" content="Example News">
      <meta name="twitter:image" content="/twitter.png">
    </head><body><meta property="og:description" content="in the body: not read"></body></html>`;
    expect(parse(head).meta).toEqual({
      title: 'OG & title',
      description: 'Twitter description',
      siteName: 'Example News',
      image: '/twitter.png',
    });
    expect(parse('<head><title>Only a <b>title</b></title><meta name="description" content="d"></head>').meta).toEqual({
      title: 'Only a <b>title</b>',
      description: 'd',
    });
  });

  it('keeps script in a title as text: entities decoded to the characters, tags not parsed', () => {
    const { meta } = parse('<head><title>&lt;script&gt;alert(1)&lt;/script&gt; <script>alert(2)</script> Hi</title></head>');
    expect(meta.title).toBe('<script>alert(1)</script> <script>alert(2)</script> Hi');
    expect(parse('<head><meta property="og:title" content="<img src=x onerror=alert(1)>"></head>').meta.title).toBe(
      '<img src=x onerror=alert(1)>',
    );
  });

  it('reads a head that arrives in pieces split anywhere, and stops at its end', () => {
    const { meta, stoppedAt } = parse(
      '<head><meta prop',
      'erty="og:title" content="Spl',
      'it"><tit',
      'le>T</title></he',
      'ad><body>',
      'more',
    );
    expect(meta).toEqual({ title: 'Split' });
    expect(stoppedAt).toBe(4);
  });

  it('stops once every Open Graph tag it looks for is found, before the head ends', () => {
    const { meta, stoppedAt } = parse(
      '<head><meta property="og:title" content="T"><meta property="og:description" content="D">',
      '<meta property="og:site_name" content="S"><meta property="og:image" content="https://img.example/i.png">',
      '<meta property="og:title" content="later: not read">',
    );
    expect(meta).toEqual({ title: 'T', description: 'D', siteName: 'S', image: 'https://img.example/i.png' });
    expect(stoppedAt).toBe(1);
  });

  it('stops at the body when the head is never closed, and reads a page with no head', () => {
    expect(parse('<title>No head end</title><body><meta property="og:title" content="x">').meta).toEqual({ title: 'No head end' });
    expect(parse('just text, no tags').meta).toEqual({});
  });

  it('takes the first of repeated tags and ignores empty ones', () => {
    expect(
      parse(
        '<head><meta property="og:title" content="  "><meta property="og:image" content="a.png"><meta property="og:image" content="b.png"><title>t</title></head>',
      ).meta,
    ).toEqual({ title: 't', image: 'a.png' });
  });
});
