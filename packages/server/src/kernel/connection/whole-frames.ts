// Marks an adapter already changed by writeWholeFrames (a registered symbol: read across bundles).
const WHOLE_FRAMES = Symbol.for('@chat/server.wholeFrames');

interface EncodingAdapter {
  _encode?: (packet: unknown, packetOpts: { wsPreEncodedFrame?: unknown }) => unknown;
  [WHOLE_FRAMES]?: true;
}

/**
 * Makes each broadcast of a Socket.IO adapter reach each WebSocket recipient as one write.
 *
 * socket.io-adapter encodes a broadcast once and frames it once for WebSocket (`_encode`,
 * `wsPreEncodedFrame`), but the frame is two buffers, its header and its data: ws then writes
 * them to every recipient's TCP socket as cork, write, write, uncork, which Node turns into a
 * `writev`. Joined once per broadcast, the frame is one buffer and each recipient costs one plain
 * `write`: less work per recipient, in the loop that decides how long the last of a large room
 * waits. What reaches the wire is byte for byte the same. An adapter without `_encode` (or one
 * that frames nothing) is left as it is.
 */
export function writeWholeFrames(adapter: unknown): void {
  const target = adapter as EncodingAdapter | null;
  if (!target || target[WHOLE_FRAMES]) return;
  const encode = target._encode;
  if (typeof encode !== 'function') return;
  target._encode = function (packet, packetOpts) {
    const encoded = encode.call(this, packet, packetOpts);
    const frame = packetOpts.wsPreEncodedFrame;
    if (Array.isArray(frame) && frame.length === 2 && frame.every((part) => Buffer.isBuffer(part))) {
      packetOpts.wsPreEncodedFrame = [Buffer.concat(frame)];
    }
    return encoded;
  };
  target[WHOLE_FRAMES] = true;
}
