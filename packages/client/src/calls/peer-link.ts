import type { CallSignalData } from '@chat/protocol';

/** What a {@link PeerLink} needs from its call. */
export interface PeerLinkOptions {
  /** The other participant. */
  userId: string;
  /**
   * The polite peer gives way when both sides offer at once (its offer is rolled back); the
   * other ignores the colliding offer. Both sides derive it from the user ids, so exactly one is.
   */
  polite: boolean;
  /**
   * This side joined after the other: it answers the other's first offer instead of offering at
   * the same time (both offering at once is handled, but a rolled-back offer can leave Chromium
   * gathering no ICE candidates). Later negotiations (an ICE restart) are either side's.
   */
  waitForOffer: boolean;
  pc: RTCPeerConnection;
  /** The tracks to send. */
  local: MediaStream;
  /** Sends signalling to the other participant (`call:signal`). */
  signal(data: CallSignalData): void;
  /** The other participant's media arrived (again, when another track of it came). */
  track(stream: MediaStream): void;
  /** Negotiation failed in a way that is not part of the pattern (a bug, a browser's refusal). */
  failed(error: unknown): void;
}

/**
 * One RTCPeerConnection to one other participant, negotiated with the "perfect negotiation"
 * pattern (https://w3c.github.io/webrtc-pc/#perfect-negotiation-example): either side may offer
 * whenever it needs to (an ICE restart), and a collision is resolved by politeness instead of by
 * who called whom; only the first offer is always the one of the side that was there first
 * (`waitForOffer`). ICE candidates that arrive before the remote description are kept until it
 * is set; a failed ICE connection restarts ICE.
 */
export class PeerLink {
  readonly userId: string;
  readonly #options: PeerLinkOptions;
  readonly #pc: RTCPeerConnection;
  #makingOffer = false;
  /** Answers are being applied (an answer's setRemoteDescription is under way). */
  #settingAnswer = false;
  /** Candidates that came before the remote description. */
  #pending: RTCIceCandidateInit[] = [];
  /** Incoming signals, applied one at a time and in order. */
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  #waitForOffer: boolean;

  constructor(options: PeerLinkOptions) {
    this.userId = options.userId;
    this.#options = options;
    this.#waitForOffer = options.waitForOffer;
    const pc = options.pc;
    this.#pc = pc;
    pc.onnegotiationneeded = () => void this.#offer();
    pc.onicecandidate = ({ candidate }) => {
      // null, or an empty candidate, ends a generation of candidates: nothing to send.
      if (!candidate || !candidate.candidate) return;
      const { candidate: line, sdpMid, sdpMLineIndex, usernameFragment } = candidate.toJSON();
      options.signal({
        candidate: {
          candidate: line ?? '',
          sdpMid: sdpMid ?? null,
          sdpMLineIndex: sdpMLineIndex ?? null,
          usernameFragment: usernameFragment ?? null,
        },
      });
    };
    pc.ontrack = ({ track, streams }) => {
      const Stream = (globalThis as { MediaStream?: new (tracks: MediaStreamTrack[]) => MediaStream }).MediaStream;
      const stream = streams[0] ?? (Stream ? new Stream([track]) : undefined);
      if (stream) options.track(stream);
    };
    // `failed` does not heal by itself; a restart negotiates new candidates (onnegotiationneeded).
    pc.oniceconnectionstatechange = () => {
      if (pc.iceConnectionState === 'failed') pc.restartIce();
    };
    for (const track of options.local.getTracks()) pc.addTrack(track, options.local);
  }

  /** The connection (its `getStats()`, its state). */
  get connection(): RTCPeerConnection {
    return this.#pc;
  }

  /** Applies a signal from the other participant, after the ones before it. */
  receive(data: CallSignalData): Promise<void> {
    this.#queue = this.#queue
      .then(() => this.#apply(data))
      .catch((error: unknown) => {
        if (!this.#closed) this.#options.failed(error);
      });
    return this.#queue;
  }

  /** Closes the connection (the other side sees its tracks end). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const pc = this.#pc;
    pc.onnegotiationneeded = null;
    pc.onicecandidate = null;
    pc.ontrack = null;
    pc.oniceconnectionstatechange = null;
    pc.close();
  }

  async #offer(): Promise<void> {
    if (this.#closed || this.#waitForOffer) return;
    try {
      this.#makingOffer = true;
      await this.#pc.setLocalDescription();
      this.#sendDescription();
    } catch (error) {
      if (!this.#closed) this.#options.failed(error);
    } finally {
      this.#makingOffer = false;
    }
  }

  async #apply(data: CallSignalData): Promise<void> {
    if (this.#closed) return;
    const pc = this.#pc;
    if ('description' in data) {
      const description = data.description;
      // An answer is only "ready" for an offer we made; while applying one the state is not stable.
      const readyForOffer = !this.#makingOffer && (pc.signalingState === 'stable' || this.#settingAnswer);
      const collision = description.type === 'offer' && !readyForOffer;
      // The impolite side ignores the other's offer: its own goes on and gets answered.
      if (collision && !this.#options.polite) return;
      this.#settingAnswer = description.type === 'answer';
      try {
        // The polite side rolls its own offer back implicitly (setRemoteDescription does it).
        await pc.setRemoteDescription(description);
      } finally {
        this.#settingAnswer = false;
      }
      if (this.#closed) return;
      if (description.type === 'offer') {
        // From now on this side offers too when it needs to (negotiationneeded fires again when
        // the answer did not cover what it has to send).
        this.#waitForOffer = false;
        await pc.setLocalDescription();
        this.#sendDescription();
      }
      const pending = this.#pending;
      this.#pending = [];
      for (const candidate of pending) await this.#addCandidate(candidate);
      return;
    }
    const candidate = normalizeCandidate(data.candidate);
    if (!pc.remoteDescription) {
      this.#pending.push(candidate);
      return;
    }
    await this.#addCandidate(candidate);
  }

  async #addCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    try {
      await this.#pc.addIceCandidate(candidate);
    } catch {
      // Candidates of an offer this side ignored, or of one the other side rolled back, belong
      // to no description now; one candidate that cannot be used is not a failure of the call
      // (if none works, ICE fails and restarts).
    }
  }

  #sendDescription(): void {
    const local = this.#pc.localDescription;
    if (this.#closed || !local || (local.type !== 'offer' && local.type !== 'answer')) return;
    this.#options.signal({ description: { type: local.type, sdp: local.sdp } });
  }
}

/** The wire form of a candidate as RTCPeerConnection takes it (nulls as absent). */
function normalizeCandidate(candidate: Extract<CallSignalData, { candidate: unknown }>['candidate']): RTCIceCandidateInit {
  const init: RTCIceCandidateInit = { candidate: candidate.candidate };
  if (candidate.sdpMid != null) init.sdpMid = candidate.sdpMid;
  if (candidate.sdpMLineIndex != null) init.sdpMLineIndex = candidate.sdpMLineIndex;
  if (candidate.usernameFragment != null) init.usernameFragment = candidate.usernameFragment;
  return init;
}
