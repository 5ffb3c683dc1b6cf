import { chunkStrings } from '../i18n/chunk-strings.js';
/**
 * The texts of calls. They live in the call chunk, so pages without calls do not load them; a
 * host changes them like any other text (`element.strings`, or a language of `registerLocale`):
 * `ChatStrings` lists them as optional keys.
 */
export interface CallStrings {
  /** The header button that starts an audio call with the people here. */
  audioCall: string;
  /** The header button that starts a video call with the people here. */
  videoCall: string;
  /** The button on a person in the list of people here. */
  callPerson: (name: string) => string;
  /** The header button of a call going on without you. */
  joinCall: string;
  /** The incoming call banner: "Ana is calling you". */
  incomingCall: (name: string, video: boolean) => string;
  accept: string;
  decline: string;
  /** Label of the call view. */
  callLabel: (video: boolean) => string;
  /** In the call view while the others' devices ring. */
  calling: (names: string) => string;
  /** In the call view while nobody else is in the call and nobody is rung (an open call in a busy room). */
  waiting: string;
  /** On a participant's tile until their media arrives. */
  connectingMedia: string;
  mute: string;
  camera: string;
  hangUp: string;
  /** Said (to screen readers) when someone joins or leaves the call, and when it ends. */
  joinedCall: (name: string) => string;
  leftCall: (name: string) => string;
  callEnded: string;
  /** Said when a call that rang you stopped ringing before you answered. */
  missedCall: (name: string) => string;
  /** Said when a call is going on in the room. */
  callGoingOn: (names: string) => string;
  /** Beside your own name on your tile. */
  you: string;
  /**
   * Why the microphone (and camera, for video) could not be used: the browser or the person did not
   * allow them, there are none, or they could not be started (another application may hold them).
   */
  devicesFailed: (video: boolean, why: DeviceFailure) => string;
}

/** Why getUserMedia failed, from its DOMException's name. */
export type DeviceFailure = 'blocked' | 'missing' | 'busy';

/** English. */
export const callEn: CallStrings = {
  audioCall: 'Start an audio call',
  videoCall: 'Start a video call',
  callPerson: (name) => `Call ${name}`,
  joinCall: 'Join the call',
  incomingCall: (name, video) => `${name} is calling you (${video ? 'video' : 'audio'} call)`,
  accept: 'Accept',
  decline: 'Decline',
  callLabel: (video) => (video ? 'Video call' : 'Audio call'),
  calling: (names) => `Calling ${names}…`,
  waiting: 'Waiting for others to join…',
  connectingMedia: 'Connecting…',
  mute: 'Mute microphone',
  camera: 'Camera off',
  hangUp: 'Hang up',
  joinedCall: (name) => `${name} joined the call`,
  leftCall: (name) => `${name} left the call`,
  callEnded: 'The call ended.',
  missedCall: (name) => `Missed call from ${name}`,
  callGoingOn: (names) => `A call is going on with ${names}`,
  you: 'you',
  devicesFailed: (video, why) => {
    const devices = video ? 'microphone and camera' : 'microphone';
    if (why === 'blocked') return `The browser did not allow the ${devices}: allow them for this page to call.`;
    return why === 'missing'
      ? `No ${devices} was found on this device.`
      : `The ${devices} could not be started: another application may be using them.`;
  },
};

/** The call texts from the element's `strings` (its language's, the host's own on top), English where it has none. */
export function callStrings(host: Partial<CallStrings>): CallStrings {
  return chunkStrings(callEn, host);
}

/** "Ana", "Ana and Luis", "Ana, Luis, and Eva", as the language `lang` lists names (`Intl.ListFormat`). */
export function names(list: readonly string[], lang: string): string {
  return new Intl.ListFormat(lang, { type: 'conjunction' }).format(list);
}
