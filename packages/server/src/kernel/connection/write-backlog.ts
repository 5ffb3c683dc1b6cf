/** What engine.io holds for a socket that the network has not taken yet. */
interface EngineSocketLike {
  writeBuffer?: Array<{ data?: unknown }>;
}

/**
 * Bytes waiting in this connection's engine.io write buffer: what it has been sent but has not
 * read (or could not receive) yet. A client that asks for history and never reads the answers
 * would otherwise make the server hold every page it asked for. (engine.io keeps the buffer as
 * a private field; if a version stops having it, this reads 0 and only the byte budget holds.)
 */
export function writeBacklogBytes(conn: unknown): number {
  const buffer = (conn as EngineSocketLike | null)?.writeBuffer;
  if (!Array.isArray(buffer)) return 0;
  let bytes = 0;
  for (const packet of buffer) {
    const data = packet?.data;
    if (typeof data === 'string') bytes += data.length;
    else if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) bytes += data.byteLength;
  }
  return bytes;
}
