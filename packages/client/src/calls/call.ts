import {
  builtInError,
  ChatError,
  type Call as CallData,
  type CallKind,
  type CallResult,
  type CallSignalData,
  type IceServer,
  type UserRef,
} from '@chat/protocol';
import { ConnectionLostError, type RequestEvent, type RequestPayload, type ResponseData } from '../core/transport.js';
import { Subscribable } from '../core/subscribable.js';
import { localMedia, peerConnectionClass, stopMedia, type CallMedia, type CallOptions, type LocalMedia } from './call-media.js';
import { CallState } from './call-state.js';
import { PeerLink } from './peer-link.js';

/** A participant's media arrived (`call.on('track')`). */
export interface CallTrack {
  userId: string;
  /** Show it in a `<video>` (`video.srcObject = stream`), or an `<audio>` in an audio call. */
  stream: MediaStream;
}

/** Events of a {@link Call}. */
export interface CallEvents {
  state: (state: CallState) => void;
  /** A participant's media arrived; again for the same stream when another of its tracks arrives. */
  track: (track: CallTrack) => void;
  /** Anything a view shows changed: participants, who rings, streams, mute and camera. */
  updated: () => void;
  /** Something failed without a request to fail (signalling to a participant, say). */
  error: (error: ChatError) => void;
}

/** What a Call needs from its client. */
export interface CallLink {
  request<E extends RequestEvent>(event: E, payload: RequestPayload<E>): Promise<ResponseData<E>>;
  /** Your user id, once the server said it (the first join). */
  selfId(): string | undefined;
  readonly options: CallOptions;
  /** The call is over for this device: forget it. */
  ended(call: Call): void;
}

/**
 * An audio or video call in a room: started by `room.startCall()`, or one that rings you
 * (`client.on('call')`, `room.on('call')`). Media flows peer to peer between the participants
 * (one `RTCPeerConnection` per other participant); the chat connection carries the signalling.
 * @example
 * client.on('call', async (call) => {
 *   call.on('track', ({ userId, stream }) => (videoOf(userId).srcObject = stream));
 *   await call.accept();
 * });
 */
export class Call extends Subscribable<CallEvents> {
  readonly id: string;
  readonly roomId: string;
  readonly kind: CallKind;
  #data: CallData;
  readonly #link: CallLink;
  #state: CallState;
  /** In the call on this device (a start or join answered, not left). */
  #active = false;
  /** Over for this device whatever the server says (connection lost, room left). */
  #over = false;
  /** A join (or start) under way: the state stays what it was, signals wait for it. */
  #joining = false;
  #held: Array<{ from: string; data: CallSignalData }> = [];
  /** Hung up while the join was under way: leave as soon as it is answered. */
  #abandoned = false;
  #iceServers: IceServer[] = [];
  #local: LocalMedia | undefined;
  readonly #peers = new Map<string, PeerLink>();
  readonly #remote = new Map<string, MediaStream>();
  #muted = false;
  #cameraOn = true;
  /** Who was in the call when this device joined (its join answer): they offer, this side answers. */
  #wereThere = new Set<string>();

  /** @internal Created by the client. */
  constructor(link: CallLink, data: CallData) {
    super();
    this.#link = link;
    this.#data = data;
    this.id = data.id;
    this.roomId = data.roomId;
    this.kind = data.kind;
    this.#state = this.#computeState();
  }

  /** Where the call stands for you here. */
  get state(): CallState {
    return this.#state;
  }
  /** Who started it. */
  get startedBy(): UserRef {
    return this.#data.startedBy;
  }
  /** Who is in the call now (you included, once you are). */
  get participants(): readonly UserRef[] {
    return this.#data.participants;
  }
  /** Invited and not answered yet: their devices ring. */
  get ringing(): readonly UserRef[] {
    return this.#data.ringing;
  }
  /** ISO 8601. */
  get startedAt(): string {
    return this.#data.startedAt;
  }
  /** ISO 8601, once it is over. */
  get endedAt(): string | undefined {
    return this.#data.endedAt;
  }
  /** What you send, while you are in the call. */
  get localStream(): MediaStream | undefined {
    return this.#local?.stream;
  }
  /** What each other participant sends, by user id. */
  get remoteStreams(): ReadonlyMap<string, MediaStream> {
    return this.#remote;
  }
  /** Your microphone is muted (`setMuted`). */
  get muted(): boolean {
    return this.#muted;
  }
  /** Your camera is sending (`setCamera`); false in an audio call. */
  get cameraOn(): boolean {
    return this.#cameraOn && (this.#local?.stream.getVideoTracks().length ?? 0) > 0;
  }

  /** The connection to one other participant (for `getStats()`), while you are both in the call. */
  peerConnection(userId: string): RTCPeerConnection | undefined {
    return this.#peers.get(userId)?.connection;
  }

  /**
   * Answers a call that rings you, or joins one going on in the room. Asks the browser for the
   * microphone (and the camera in a video call) first, unless you give the media.
   * @example await call.accept({ audio: true, video: false });
   */
  async accept(media?: CallMedia): Promise<void> {
    if (this.#active || this.#joining) return;
    if (this.#state === CallState.ENDED) throw builtInError('CALL_NOT_FOUND', 'This call has ended.');
    this.#joining = true;
    this.#abandoned = false;
    try {
      const local = await localMedia(this.#link.options, media, this.kind === 'video');
      if (this.#over) {
        stopMedia(local);
        throw builtInError('CALL_NOT_FOUND', 'This call ended while the microphone or camera was starting.');
      }
      let result: CallResult;
      try {
        result = await this.#link.request('call:join', { callId: this.id });
      } catch (error) {
        stopMedia(local);
        throw error;
      }
      if (this.#abandoned || this.#over) {
        stopMedia(local);
        if (this.#over) return;
        const { call } = await this.#quietly(this.#link.request('call:leave', { callId: this.id }));
        if (call) this._update(call);
        return;
      }
      this._activate(local, result);
    } finally {
      this.#joining = false;
      this.#held = [];
      this.#changed();
    }
  }

  /** Says no to a call that rings you (on all your devices). In a call you are in, it hangs up. */
  async decline(): Promise<void> {
    if (this.#active || this.#joining) return this.hangUp();
    if (this.#state !== CallState.RINGING) return;
    const { call } = await this.#quietly(this.#link.request('call:decline', { callId: this.id }));
    if (call) this._update(call);
  }

  /**
   * Leaves the call: it ends for everyone when one person or nobody is left. Your camera and
   * microphone are released at once. Declines a call that rings you.
   */
  async hangUp(): Promise<void> {
    if (!this.#active && !this.#joining) {
      if (this.#state === CallState.RINGING) await this.decline();
      return;
    }
    if (!this.#active) {
      this.#abandoned = true;
      return;
    }
    this.#leaveHere();
    this.#changed();
    const { call } = await this.#quietly(this.#link.request('call:leave', { callId: this.id }));
    if (call) this._update(call);
  }

  /** Mutes or unmutes your microphone for everyone in the call. */
  setMuted(muted: boolean): void {
    this.#muted = muted;
    for (const track of this.#local?.stream.getAudioTracks() ?? []) track.enabled = !muted;
    this.emitter.emit('updated');
  }

  /** Turns your camera's picture off (the others see no picture) or on again. */
  setCamera(on: boolean): void {
    this.#cameraOn = on;
    for (const track of this.#local?.stream.getVideoTracks() ?? []) track.enabled = on;
    this.emitter.emit('updated');
  }

  /** @internal The answer of the start or join: in the call here, connecting to the others. */
  _activate(local: LocalMedia, result: CallResult): void {
    this.#local = local;
    this.#iceServers = result.iceServers ?? [];
    this.#active = true;
    // What was set before joining applies to the new tracks.
    for (const track of local.stream.getAudioTracks()) track.enabled = !this.#muted;
    for (const track of local.stream.getVideoTracks()) track.enabled = this.#cameraOn;
    const held = this.#held;
    this.#held = [];
    this.#wereThere = new Set(result.call.participants.map((p) => p.id));
    this._update(result.call);
    if (!this.#active) return;
    // An update that came before the answer is newer than it (and kept): connect to whom it lists.
    this.#connectPeers();
    for (const { from, data } of held) this._signal(from, data);
  }

  /** @internal The server's state of the call (event `call`, an ack, a join's list). */
  _update(data: CallData): void {
    // Events of one call may come from several server processes out of order: the newest wins.
    if (this.#over || data.version < this.#data.version) return;
    this.#data = data;
    if (data.endedAt !== undefined) {
      this._end();
      return;
    }
    if (this.#active) this.#connectPeers();
    this.#changed();
  }

  /** @internal Signalling from another participant. */
  _signal(from: string, data: CallSignalData): void {
    if (this.#over) return;
    if (this.#joining && !this.#active) {
      this.#held.push({ from, data });
      return;
    }
    if (!this.#active || from === this.#link.selfId()) return;
    void this.#peer(from)?.receive(data);
  }

  /** @internal Over for this device (ended, the connection dropped, the room was left). */
  _end(): void {
    if (this.#over) return;
    this.#over = true;
    this.#leaveHere();
    this.#changed();
    this.#link.ended(this);
  }

  /** @internal The room is left or the client closes: out of the call, telling the server if it can. */
  _close(): void {
    if (this.#over) return;
    if (this.#active) void this.#quietly(this.#link.request('call:leave', { callId: this.id }));
    this._end();
  }

  /** Peers for the participants, none for those who left. */
  #connectPeers(): void {
    const self = this.#link.selfId();
    const present = new Set(this.#data.participants.map((p) => p.id));
    // One who left and comes back joined after this device: this side offers then.
    for (const id of this.#wereThere) if (!present.has(id)) this.#wereThere.delete(id);
    for (const id of present) if (id !== self) this.#peer(id);
    for (const [id, peer] of this.#peers) {
      if (present.has(id)) continue;
      peer.close();
      this.#peers.delete(id);
      if (this.#remote.delete(id)) this.emitter.emit('updated');
    }
  }

  #peer(userId: string): PeerLink | undefined {
    const existing = this.#peers.get(userId);
    if (existing) return existing;
    const self = this.#link.selfId();
    const local = this.#local;
    if (!this.#active || self === undefined || !local) return undefined;
    let pc: RTCPeerConnection;
    try {
      const PeerConnection = peerConnectionClass(this.#link.options);
      pc = new PeerConnection({ iceServers: this.#iceServers });
    } catch (error) {
      this.#fail(error);
      return undefined;
    }
    const peer = new PeerLink({
      userId,
      polite: self < userId,
      waitForOffer: this.#wereThere.has(userId),
      pc,
      local: local.stream,
      signal: (data) => void this.#sendSignal(userId, data),
      track: (stream) => {
        if (!this.#peers.has(userId)) return;
        this.#remote.set(userId, stream);
        this.emitter.emit('track', { userId, stream });
        this.emitter.emit('updated');
      },
      failed: (error) => this.#fail(error),
    });
    this.#peers.set(userId, peer);
    return peer;
  }

  async #sendSignal(to: string, data: CallSignalData): Promise<void> {
    try {
      await this.#link.request('call:signal', { callId: this.id, to, data });
    } catch (error) {
      // Over, or the other participant left meanwhile: nobody to tell. A dropped connection ends the call here.
      if (this.#over || !this.#peers.has(to) || error instanceof ConnectionLostError) return;
      if (error instanceof ChatError && error.code === 'CALL_NOT_FOUND') return;
      this.#fail(error);
    }
  }

  // Out of the call on this device: connections closed, devices released.
  #leaveHere(): void {
    this.#active = false;
    this.#wereThere.clear();
    for (const peer of this.#peers.values()) peer.close();
    this.#peers.clear();
    this.#remote.clear();
    stopMedia(this.#local);
    this.#local = undefined;
  }

  // A request whose "already over" answers reach the goal anyway.
  async #quietly<T extends { call: CallData }>(request: Promise<T>): Promise<Partial<T>> {
    try {
      return await request;
    } catch (error) {
      if (error instanceof ConnectionLostError) return {};
      if (error instanceof ChatError && error.code === 'CALL_NOT_FOUND') {
        this._end();
        return {};
      }
      throw error;
    }
  }

  #fail(error: unknown): void {
    const chatError =
      error instanceof ChatError ? error : builtInError('INTERNAL', `The call connection failed: ${String(error)}`, { cause: error });
    this.emitter.emit('error', chatError);
  }

  #computeState(): CallState {
    if (this.#over || this.#data.endedAt !== undefined) return CallState.ENDED;
    if (this.#active) return CallState.ACTIVE;
    const self = this.#link.selfId();
    if (self !== undefined && this.#data.ringing.some((u) => u.id === self)) return CallState.RINGING;
    return CallState.AVAILABLE;
  }

  // Tells the view, and the state when it changed (not while a join is under way: it lands as `active`).
  #changed(): void {
    const state = this.#joining && !this.#over ? this.#state : this.#computeState();
    if (state !== this.#state) {
      this.#state = state;
      this.emitter.emit('state', state);
    }
    this.emitter.emit('updated');
  }
}
