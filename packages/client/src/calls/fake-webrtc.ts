// A small stand-in for WebRTC in Node tests (no media, no network): enough of RTCPeerConnection
// for the SDK's signalling to run end to end through a real server. Descriptions carry the
// sender's stream id; setting a remote one "receives" that stream. Browser tests use the real thing.
import type { CallOptions } from './call-media.js';

let ids = 0;

/** A fake MediaStreamTrack. */
export class FakeTrack {
  enabled = true;
  stopped = false;
  readonly id = `track-${++ids}`;
  constructor(readonly kind: 'audio' | 'video') {}
  stop(): void {
    this.stopped = true;
  }
}

/** A fake MediaStream. */
export class FakeStream {
  readonly id: string;
  readonly #tracks: FakeTrack[];
  constructor(tracks: FakeTrack[] = [], id = `stream-${++ids}`) {
    this.#tracks = tracks;
    this.id = id;
  }
  getTracks(): FakeTrack[] {
    return [...this.#tracks];
  }
  getAudioTracks(): FakeTrack[] {
    return this.#tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks(): FakeTrack[] {
    return this.#tracks.filter((t) => t.kind === 'video');
  }
}

/** Every fake connection made, to look at in assertions. */
const connections: FakePeerConnection[] = [];

/** A fake RTCPeerConnection: offer/answer/rollback states, one candidate per local description. */
export class FakePeerConnection {
  signalingState: RTCSignalingState = 'stable';
  iceConnectionState: RTCIceConnectionState = 'new';
  localDescription: { type: RTCSdpType; sdp: string } | null = null;
  remoteDescription: { type: RTCSdpType; sdp: string } | null = null;
  readonly candidates: RTCIceCandidateInit[] = [];
  /** Offers this side made (set as its local description). */
  offers = 0;
  closed = false;
  onnegotiationneeded: (() => void) | null = null;
  onicecandidate: ((event: { candidate: unknown }) => void) | null = null;
  ontrack: ((event: { track: FakeTrack; streams: FakeStream[] }) => void) | null = null;
  oniceconnectionstatechange: (() => void) | null = null;
  readonly #streams: FakeStream[] = [];
  #negotiationQueued = false;

  constructor(readonly configuration: RTCConfiguration = {}) {
    connections.push(this);
  }

  addTrack(_track: FakeTrack, stream: FakeStream): void {
    if (!this.#streams.includes(stream)) this.#streams.push(stream);
    if (this.#negotiationQueued) return;
    this.#negotiationQueued = true;
    setTimeout(() => {
      this.#negotiationQueued = false;
      if (!this.closed && this.signalingState === 'stable' && this.remoteDescription === null) this.onnegotiationneeded?.();
    });
  }

  async setLocalDescription(): Promise<void> {
    await Promise.resolve();
    const sdp = JSON.stringify(this.#streams.map((s) => s.id));
    if (this.signalingState === 'have-remote-offer') {
      this.localDescription = { type: 'answer', sdp };
      this.signalingState = 'stable';
    } else {
      this.localDescription = { type: 'offer', sdp };
      this.signalingState = 'have-local-offer';
      this.offers++;
    }
    const line = `candidate:${++ids} 1 udp 1 127.0.0.1 9 typ host`;
    setTimeout(() =>
      this.onicecandidate?.({ candidate: { candidate: line, toJSON: () => ({ candidate: line, sdpMid: '0', sdpMLineIndex: 0 }) } }),
    );
  }

  async setRemoteDescription(description: { type: RTCSdpType; sdp: string }): Promise<void> {
    await Promise.resolve();
    if (description.type === 'offer') {
      // The polite side's own offer is rolled back.
      this.signalingState = 'have-remote-offer';
    } else {
      if (this.signalingState !== 'have-local-offer') throw new Error(`answer in state ${this.signalingState}`);
      this.signalingState = 'stable';
    }
    this.remoteDescription = description;
    this.iceConnectionState = 'connected';
    for (const id of JSON.parse(description.sdp) as string[]) {
      const stream = new FakeStream([new FakeTrack('audio'), new FakeTrack('video')], id);
      for (const track of stream.getTracks()) this.ontrack?.({ track, streams: [stream] });
    }
  }

  async addIceCandidate(candidate: RTCIceCandidateInit): Promise<void> {
    if (!this.remoteDescription) throw new Error('no remote description');
    this.candidates.push(candidate);
  }

  restartIce(): void {}

  close(): void {
    this.closed = true;
    this.signalingState = 'closed';
  }
}

/** `ChatClientOptions.calls` with the fakes: devices always granted (or refused with `refuse`). */
export function fakeCalls(refuse?: string): CallOptions {
  return {
    RTCPeerConnection: FakePeerConnection as unknown as CallOptions['RTCPeerConnection'],
    getUserMedia: async (constraints) => {
      if (refuse) throw Object.assign(new Error('refused'), { name: refuse });
      const tracks = [new FakeTrack('audio'), ...(constraints.video ? [new FakeTrack('video')] : [])];
      return new FakeStream(tracks) as unknown as MediaStream;
    },
  };
}
