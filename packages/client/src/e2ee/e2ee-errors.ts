// The errors an e2ee session reports or throws, in words for the person who meets them.
import { builtInError, type ChatError, type Message } from '@chat/protocol';

/** The error a device reports about a message whose MLS sender is not the user the server names. */
export function forged(message: Message, signer: string | undefined): ChatError {
  return builtInError(
    'VALIDATION_FAILED',
    `A message in "${message.roomId}" is labelled as from "${message.user.id}" but was signed by ${signer === undefined ? 'no member' : `"${signer}"`} of the group: it is not shown.`,
  );
}

/** The error a device reports about claimed key packages whose credential names another device than their publisher. */
export function impostor(roomId: string, count: number): ChatError {
  return builtInError(
    'VALIDATION_FAILED',
    `${count} key package(s) claimed for "${roomId}" name another user or device than the one who published them: not added.`,
  );
}

/** The error of a device that knows it was removed: it asks the server nothing more. */
export function removedError(deviceId: string): ChatError {
  return builtInError(
    'E2EE_DEVICE_REMOVED',
    `This device ("${deviceId}") was removed from its user's devices: it takes part in no encrypted room any more (a new device, with new keys, can).`,
  );
}

/** What the client is told when a removed device could not wipe its secrets (the next start tries again). */
export function wipeFailed(deviceId: string, cause: unknown): ChatError {
  const why = cause instanceof Error ? `: ${cause.message}` : '';
  return builtInError(
    'E2EE_DEVICE_REMOVED',
    `This device ("${deviceId}") was removed, but deleting its encryption keys from its store failed${why}. The next start of the client tries again.`,
    { cause },
  );
}
