/**
 * Where a call stands for you, on this device. Its own module: the client's main code needs it
 * without the call code, which loads when the first call comes (./call-router.ts).
 */
export const CallState = {
  /** It rings you: `accept()` or `decline()`. */
  RINGING: 'ringing',
  /** It goes on in the room without you (here): `accept()` joins it. */
  AVAILABLE: 'available',
  /** You are in it here: media flows between you and the other participants. */
  ACTIVE: 'active',
  /** It is over, or over for this device (the connection dropped, the room was left). */
  ENDED: 'ended',
} as const;
export type CallState = (typeof CallState)[keyof typeof CallState];
