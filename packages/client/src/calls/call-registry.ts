import { builtInError, type Call as CallData, type CallKind, type CallSignalEvent } from '@chat/protocol';
import type { RequestEvent, RequestPayload, ResponseData } from '../core/transport.js';
import { Call, type CallLink } from './call.js';
import { localMedia, stopMedia, type CallMedia, type CallOptions } from './call-media.js';
import { CallState } from './call-state.js';

/** What `room.startCall()` takes. */
export interface StartCallOptions {
  kind: CallKind;
  /** User ids of members to ring. @default in a direct room, the other members */
  invite?: string[];
  /** What you send (see {@link CallMedia}). @default the microphone, and the camera in a video call */
  media?: CallMedia;
}

/** What the calls of a client need from it. */
export interface CallRegistryHost {
  request<E extends RequestEvent>(event: E, payload: RequestPayload<E>): Promise<ResponseData<E>>;
  selfId(): string | undefined;
  options: CallOptions;
  /** A call came into view: in its room (when joined) and, when it rings you, on the client. */
  appeared(call: Call): void;
}

/**
 * The calls one client knows, by id: it turns the server's `call` and `call:signal` events, the
 * join answers' lists and the client's own life (disconnects, rooms left) into {@link Call}s.
 */
export class CallRegistry {
  readonly #host: CallRegistryHost;
  readonly #calls = new Map<string, Call>();
  /** Rooms with a start under way, and how many: your own new call is not "appeared" there. */
  readonly #starting = new Map<string, number>();
  readonly #link: CallLink;

  constructor(host: CallRegistryHost) {
    this.#host = host;
    this.#link = {
      request: (event, payload) => host.request(event, payload),
      selfId: () => host.selfId(),
      options: host.options,
      ended: (call) => {
        if (this.#calls.get(call.id) === call) this.#calls.delete(call.id);
      },
    };
  }

  /** The calls going on that this client knows (ringing you, going on, or with you in them). */
  get calls(): Call[] {
    return [...this.#calls.values()];
  }

  /** The calls going on in a room. */
  _inRoom(roomId: string): Call[] {
    return this.calls.filter((call) => call.roomId === roomId);
  }

  /** Starts a call in a joined room: your media first (the browser may ask), then the server rings the others. */
  async start(roomId: string, options: StartCallOptions): Promise<Call> {
    if (options.kind !== 'audio' && options.kind !== 'video') {
      throw builtInError('VALIDATION_FAILED', "A call's kind is 'audio' or 'video'.");
    }
    const local = await localMedia(this.#host.options, options.media, options.kind === 'video');
    this.#starting.set(roomId, (this.#starting.get(roomId) ?? 0) + 1);
    try {
      const result = await this.#host.request('call:start', {
        roomId,
        kind: options.kind,
        ...(options.invite !== undefined && { invite: options.invite }),
      });
      // The call's first `call` event may have come before this answer: the same Call.
      const call = this.#calls.get(result.call.id) ?? new Call(this.#link, result.call);
      this.#calls.set(call.id, call);
      call._activate(local, result);
      return call;
    } catch (error) {
      stopMedia(local);
      throw error;
    } finally {
      const left = (this.#starting.get(roomId) ?? 1) - 1;
      if (left > 0) this.#starting.set(roomId, left);
      else this.#starting.delete(roomId);
    }
  }

  /** The server's `call` event. */
  receive(data: CallData): void {
    const known = this.#calls.get(data.id);
    if (known) {
      known._update(data);
      return;
    }
    if (data.endedAt !== undefined) return; // over before we knew of it
    const call = new Call(this.#link, data);
    this.#calls.set(call.id, call);
    // Your own call, started here: the start's answer hands it over.
    if (this.#starting.has(data.roomId) && data.startedBy.id === this.#host.selfId()) return;
    this.#host.appeared(call);
  }

  /** The server's `call:signal` event (for calls you are in here; others are dropped). */
  signal(event: CallSignalEvent): void {
    this.#calls.get(event.callId)?._signal(event.from, event.data);
  }

  /** A room's join answer listed the calls going on in it: known ones are updated, gone ones end. */
  _roomJoined(roomId: string, calls: readonly CallData[] | undefined): void {
    const listed = new Set<string>();
    for (const data of calls ?? []) {
      listed.add(data.id);
      this.receive(data);
    }
    for (const call of this._inRoom(roomId)) {
      // A call started here after the join was answered is not in the list yet.
      if (!listed.has(call.id) && call.state !== CallState.ACTIVE) call._end();
    }
  }

  /** The room was left, ended, or you were taken out of it: its calls are over for you. */
  _roomClosed(roomId: string): void {
    for (const call of this._inRoom(roomId)) call._close();
  }

  /** The connection dropped: the server takes you out of your calls; a call going on shows again on the re-join. */
  _connectionLost(): void {
    for (const call of this.calls) call._end();
  }

  /** The client closes for good. */
  close(): void {
    for (const call of this.calls) call._close();
  }
}
