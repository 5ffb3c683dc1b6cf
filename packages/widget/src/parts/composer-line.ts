/**
 * What a line typed in the composer asks for: a command to run (`/name args`), or a message to
 * send; `//text` sends `/text` as a message.
 */
export function composerLine(text: string): { command: string } | { message: string } {
  if (text.startsWith('//')) return { message: text.slice(1) };
  return /^\/[A-Za-z0-9]/u.test(text) ? { command: text } : { message: text };
}
