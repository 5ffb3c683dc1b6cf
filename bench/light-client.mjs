// A minimal Socket.IO client over a raw WebSocket that counts frames instead of parsing them,
// so that one load process can receive a few hundred thousand deliveries a second on 2 cores.
// It speaks just enough of Engine.IO 4 / Socket.IO 5: open, ping/pong, connect, events, acks.
// It asks for `messages` batches in its handshake (a raw Socket.IO server ignores the field) and
// counts the messages in one without parsing it: each message object has one `"seq":` key, and
// no text can hold that sequence (a quote inside a JSON string is escaped as \").
import WebSocket from 'ws';

const MESSAGE = '42["message"';
const MESSAGES = '42["messages"';
const SEQ_KEY = '"seq":';
const PRESENCE = '42["presence"';
const UPDATED = '42["message:updated"';
// Live reactions: the chat server's summed bursts, and raw Socket.IO's one frame per reaction.
const LIVE_BURST = '42["live-reaction:burst"';
const LIVE_ONE = '42["live-reaction"';
const EMOJI_KEY = '"emoji":"';

export class LightClient {
  /** Messages received, alone (`message`) or in batches (`messages`). */
  deliveries = 0;
  /** Frames that carried them (a batch is one frame). */
  messageFrames = 0;
  presenceEvents = 0;
  /** `message:updated` frames received (reaction storm). */
  updates = 0;
  /** Live-reaction frames received: `live-reaction:burst` (chat), or `live-reaction` (raw, one reaction a frame). */
  liveReactionFrames = 0;
  /** Their bytes (a part of `bytesIn`). */
  liveReactionBytes = 0;
  /** Their counts summed by emoji: a burst's `counts` (the only frames parsed), or one per raw frame. */
  liveReactions = {};
  /** Set to be told of each live-reaction frame, once it is counted. */
  onLiveReaction = undefined;
  /** Set to receive each `message:updated` frame's raw text. */
  onUpdatedFrame = undefined;
  /** Set to receive each message's raw text (latency probes): a `message` frame, or a message's part of a `messages` frame. */
  onMessageFrame = undefined;
  /** Set to receive parsed presence deltas (join storm). */
  onPresence = undefined;
  /** Set to receive every other event frame's raw text (`42[...]`, e.g. `read`). */
  onEventFrame = undefined;
  /** Bytes of WebSocket frames received and sent (Socket.IO packets with their headers, no WebSocket framing). */
  bytesIn = 0;
  bytesOut = 0;
  #ws;
  #ackId = 0;
  #acks = new Map();

  constructor(url, auth) {
    this.url = url.replace(/^http/u, 'ws') + '/socket.io/?EIO=4&transport=websocket';
    this.auth = { ...auth, features: ['messages'] };
  }

  connect() {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(this.url, { perMessageDeflate: false });
      this.#ws = ws;
      ws.on('error', reject);
      ws.on('message', (data) => {
        this.bytesIn += data.length;
        const frame = data.toString();
        const c0 = frame.charCodeAt(0);
        if (c0 === 0x34 /* 4: socket.io packet */) {
          if (frame.startsWith(MESSAGE)) {
            this.deliveries++;
            this.messageFrames++;
            this.onMessageFrame?.(frame);
          } else if (frame.startsWith(MESSAGES)) {
            this.messageFrames++;
            // Each message's part of the frame runs from its "seq": to the next one's: its seq,
            // clientId, user and text (ids come first in a message, so they fall in the part before).
            let at = frame.indexOf(SEQ_KEY);
            while (at >= 0) {
              const next = frame.indexOf(SEQ_KEY, at + SEQ_KEY.length);
              this.deliveries++;
              this.onMessageFrame?.(next < 0 ? frame.slice(at) : frame.slice(at, next));
              at = next;
            }
          } else if (frame.startsWith(UPDATED)) {
            this.updates++;
            this.onUpdatedFrame?.(frame);
          } else if (frame.startsWith(LIVE_BURST)) {
            this.liveReactionFrames++;
            this.liveReactionBytes += data.length;
            const { counts } = JSON.parse(frame.slice(2))[1];
            for (const emoji in counts) this.liveReactions[emoji] = (this.liveReactions[emoji] ?? 0) + counts[emoji];
            this.onLiveReaction?.();
          } else if (frame.startsWith(LIVE_ONE)) {
            this.liveReactionFrames++;
            this.liveReactionBytes += data.length;
            // `{ roomId, emoji }`: the emoji is the last string of the frame (no parse for each reaction).
            const at = frame.lastIndexOf(EMOJI_KEY) + EMOJI_KEY.length;
            const emoji = frame.slice(at, frame.indexOf('"', at));
            this.liveReactions[emoji] = (this.liveReactions[emoji] ?? 0) + 1;
            this.onLiveReaction?.();
          } else if (frame.startsWith(PRESENCE)) {
            this.presenceEvents++;
            if (this.onPresence) this.onPresence(JSON.parse(frame.slice(2))[1]);
          } else if (frame.startsWith('43')) {
            const open = frame.indexOf('[');
            const id = Number(frame.slice(2, open));
            const ack = this.#acks.get(id);
            this.#acks.delete(id);
            ack?.(JSON.parse(frame.slice(open))[0]);
          } else if (frame.startsWith('42')) this.onEventFrame?.(frame);
          else if (frame.startsWith('40')) resolve(this);
          else if (frame.startsWith('44')) reject(new Error(`refused: ${frame}`));
        } else if (c0 === 0x30 /* 0: open */) ws.send('40' + JSON.stringify(this.auth));
        else if (c0 === 0x32 /* 2: ping */) ws.send('3');
      });
    });
  }

  /** Emits an event with an ack; resolves with the ack payload. */
  request(event, payload) {
    const id = ++this.#ackId;
    return new Promise((resolve) => {
      this.#acks.set(id, resolve);
      const frame = '42' + id + JSON.stringify([event, payload]);
      this.bytesOut += frame.length;
      this.#ws.send(frame);
    });
  }

  close() {
    this.#ws?.terminate();
  }
}
