/**
 * A REST route of the chat server: `path` resolved against the client's `url`, else the page's;
 * undefined when neither is known and `path` is not absolute (Node without `url`).
 */
export function restUrl(path: string, base: string | undefined): string | undefined {
  const from = base ?? (typeof location === 'undefined' ? undefined : location.href);
  return from === undefined && !/^https?:\/\//iu.test(path) ? undefined : new URL(path, from).href;
}
