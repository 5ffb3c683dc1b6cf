// The http(s) links in a message's text, found the same way wherever that matters: the widget
// shows them as links, the server previews the first.

/** A piece of message text: plain text, or an http(s) link. */
export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"']+/giu;
// Punctuation that usually ends a sentence rather than the URL.
const TRAILING = /[.,;:!?)\]}'"]+$/u;

/** Splits text into text and http(s) link parts; nothing else becomes a link. */
export function linkify(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    let url = match[0];
    const trailing = TRAILING.exec(url)?.[0] ?? '';
    if (trailing && !(trailing.startsWith(')') && url.includes('('))) url = url.slice(0, url.length - trailing.length);
    const start = match.index;
    if (start > last) parts.push({ kind: 'text', text: text.slice(last, start) });
    parts.push({ kind: 'link', text: url, href: url });
    last = start + url.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/** True for http: and https: URLs only (never javascript:, data:, ...). */
export function isHttpUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** The first http(s) link of a message's text that is a URL (`new URL` parses it), if any: the one a preview is made of. */
export function firstHttpLink(text: string): string | undefined {
  for (const part of linkify(text)) if (part.kind === 'link' && isHttpUrl(part.href)) return part.href;
  return undefined;
}
