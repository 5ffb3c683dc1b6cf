/** The life of a ChatRoom. */
export const RoomState = {
  JOINING: 'joining',
  JOINED: 'joined',
  /** Re-joining after a reconnect and fetching what was missed. */
  SYNCING: 'syncing',
  LEFT: 'left',
  ENDED: 'ended',
} as const;
export type RoomState = (typeof RoomState)[keyof typeof RoomState];
