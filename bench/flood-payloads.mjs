// The large messages of the flood scenario: as big as the default limits allow a client to make
// them (4,000 characters and 10 attachments with long URLs), about 16 KB each as JSON.

/** The room the flood scenario runs in. */
export const FLOOD_ROOM = 'flood';
/** How many large messages are stored in it before anyone connects. */
export const FLOOD_SEED = 300;

/** One large message body: `{ text, attachments }`. */
export function bigMessage(i) {
  const text = `${i} `.padEnd(4000, 'lorem ipsum dolor sit amet ');
  const attachments = Array.from({ length: 10 }, (_, k) => ({
    url: `https://files.example.com/${i}/${k}/${'a'.repeat(1000)}.png`,
    type: 'image/png',
    name: `${'photo-'.repeat(30)}${i}-${k}.png`,
    size: 1_000_000 + k,
  }));
  return { text, attachments };
}

/** The stored messages both servers start with. */
export function floodSeed(count = FLOOD_SEED) {
  return Array.from({ length: count }, (_, i) => bigMessage(i));
}
