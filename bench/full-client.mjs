// The same interface as LightClient over the real socket.io-client, for end-to-end numbers
// (parsing included), in `--mode=full`.
import { io } from 'socket.io-client';

export class FullClient {
  deliveries = 0;
  messageFrames = 0;
  presenceEvents = 0;
  onMessageFrame = undefined;
  onPresence = undefined;
  #socket;

  constructor(url, auth) {
    this.url = url;
    this.auth = { ...auth, features: ['messages'] };
  }

  connect() {
    return new Promise((resolve, reject) => {
      const socket = io(this.url, { auth: this.auth, transports: ['websocket'], reconnection: false, forceNew: true });
      this.#socket = socket;
      socket.on('message', (m) => {
        this.deliveries++;
        this.messageFrames++;
        if (this.onMessageFrame) this.onMessageFrame(`"text":"${m.text}"`);
      });
      socket.on('messages', ({ messages }) => {
        this.deliveries += messages.length;
        this.messageFrames++;
        if (this.onMessageFrame) for (const m of messages) this.onMessageFrame(`"text":"${m.text}"`);
      });
      socket.on('presence', (d) => {
        this.presenceEvents++;
        this.onPresence?.(d);
      });
      socket.once('connect', () => resolve(this));
      socket.once('connect_error', reject);
    });
  }

  request(event, payload) {
    return this.#socket.emitWithAck(event, payload);
  }

  close() {
    this.#socket?.disconnect();
  }
}
