import { builtInError, ChatError } from '@chat/protocol';

/**
 * Where calls get WebRTC from: the page's own `RTCPeerConnection` and
 * `navigator.mediaDevices.getUserMedia` unless given (tests, wrappers, a polyfill).
 * @example new ChatClient({ calls: { getUserMedia: (c) => navigator.mediaDevices.getUserMedia({ ...c, audio: { echoCancellation: true } }) } })
 */
export interface CallOptions {
  /** @default globalThis.RTCPeerConnection */
  RTCPeerConnection?: new (configuration?: RTCConfiguration) => RTCPeerConnection;
  /** @default navigator.mediaDevices.getUserMedia */
  getUserMedia?: (constraints: MediaStreamConstraints) => Promise<MediaStream>;
}

/**
 * What a call sends: which devices to ask the browser for, or a stream the page already has
 * (a screen share, a processed camera): the page keeps owning it and stops it itself.
 * @default { audio: true, video: true } in a video call, { audio: true } in an audio call
 */
export type CallMedia = { audio?: boolean; video?: boolean } | MediaStream;

/** The local stream of a call and whether the call stops it when it is over. */
export interface LocalMedia {
  stream: MediaStream;
  /** Asked for by the call (stopped when it ends), not given by the page. */
  owned: boolean;
}

/** The WebRTC constructor of the options, or of the page; a coded error where there is none (Node, old browsers). */
export function peerConnectionClass(options: CallOptions): new (configuration?: RTCConfiguration) => RTCPeerConnection {
  const found = options.RTCPeerConnection ?? (globalThis as { RTCPeerConnection?: CallOptions['RTCPeerConnection'] }).RTCPeerConnection;
  if (!found) throw builtInError('VALIDATION_FAILED', 'Calls need WebRTC (RTCPeerConnection), which this environment does not have.');
  return found;
}

/** The page's stream, or one asked from the browser's devices. */
export async function localMedia(options: CallOptions, media: CallMedia | undefined, video: boolean): Promise<LocalMedia> {
  if (isStream(media)) return { stream: media, owned: false };
  const want = { audio: media?.audio ?? true, video: media?.video ?? video };
  const devices = (globalThis as { navigator?: { mediaDevices?: MediaDevices } }).navigator?.mediaDevices;
  const getUserMedia = options.getUserMedia ?? (devices?.getUserMedia ? (c: MediaStreamConstraints) => devices.getUserMedia(c) : undefined);
  if (!want.audio && !want.video) return { stream: emptyStream(), owned: true };
  if (!getUserMedia) {
    throw builtInError(
      'VALIDATION_FAILED',
      'This page cannot use a microphone or camera (getUserMedia needs a secure page: https or localhost).',
    );
  }
  try {
    return { stream: await getUserMedia(want), owned: true };
  } catch (error) {
    throw mediaError(error, want.video);
  }
}

/** Stops the tracks of a stream the call asked for. */
export function stopMedia(local: LocalMedia | undefined): void {
  if (local?.owned) for (const track of local.stream.getTracks()) track.stop();
}

function isStream(media: CallMedia | undefined): media is MediaStream {
  return typeof media === 'object' && media !== null && typeof (media as MediaStream).getTracks === 'function';
}

function emptyStream(): MediaStream {
  const Stream = (globalThis as { MediaStream?: new () => MediaStream }).MediaStream;
  if (!Stream) throw builtInError('VALIDATION_FAILED', 'Calls need WebRTC (MediaStream), which this environment does not have.');
  return new Stream();
}

// getUserMedia's DOMException names, said for the person who clicked "call".
function mediaError(error: unknown, video: boolean): ChatError {
  const name = error instanceof Error ? error.name : '';
  const devices = video ? 'microphone and camera' : 'microphone';
  if (name === 'NotAllowedError' || name === 'SecurityError') {
    return builtInError('FORBIDDEN', `The browser did not allow the ${devices}: allow them for this page to call.`, { cause: error });
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') {
    return builtInError('VALIDATION_FAILED', `No ${devices} was found on this device.`, { cause: error });
  }
  if (name === 'NotReadableError' || name === 'AbortError') {
    return builtInError('INTERNAL', `The ${devices} could not be started: another application may be using them.`, { cause: error });
  }
  return builtInError('INTERNAL', `The ${devices} could not be started (${String(error)}).`, { cause: error });
}
