// What an encrypted message holds inside MLS: its text and the id of the user who wrote it, so
// that a reader can check it against the sender the server names (a member cannot pass their
// words off as another's by handing the server someone else's identity).

/** The plaintext of an encrypted message. */
export function sealPlaintext(sender: string, text: string): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ v: 1, sender, text }));
}

/** The text, if the plaintext is well formed and written by `sender`; undefined otherwise. */
export function openPlaintext(plaintext: Uint8Array, sender: string): string | undefined {
  try {
    const value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext)) as {
      v?: unknown;
      sender?: unknown;
      text?: unknown;
    };
    return value.v === 1 && value.sender === sender && typeof value.text === 'string' ? value.text : undefined;
  } catch {
    return undefined;
  }
}
