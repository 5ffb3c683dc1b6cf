// What the message path checks of an encrypted room's sends and edits: ciphertext there and only
// there, made in the group's current epoch by a device its user has not removed, and edits by
// their author alone.
import { builtInError, type Message } from '@chat/protocol';
import type { CapabilityContext } from '../capability-context.js';
import { deviceRemoved } from '../../store/e2ee-rules.js';

/**
 * An encrypted room takes only ciphertext (the server cannot encrypt: `chat.sendMessage`,
 * `chat.editMessage` and bots cannot write there), a plain room only text.
 */
export function checkEncryption(encrypted: boolean, hasCiphertext: boolean, what: 'message' | 'edit'): void {
  if (encrypted && !hasCiphertext) {
    throw builtInError(
      'VALIDATION_FAILED',
      what === 'message'
        ? 'This room is end-to-end encrypted: messages must be encrypted by the sender (ciphertext), never sent as text.'
        : 'This room is end-to-end encrypted: an edit must be encrypted by the author (ciphertext), never sent as text.',
    );
  }
  if (!encrypted && hasCiphertext) {
    throw builtInError(
      'VALIDATION_FAILED',
      `This room is not encrypted: ${what === 'message' ? 'send' : 'edit with'} text, not ciphertext.`,
    );
  }
}

/**
 * An encrypted message or edit is taken only in the group's current epoch: one encrypted before a
 * commit that removed a member could still be read by that member's device.
 */
export async function currentEpoch(ctx: CapabilityContext, roomId: string, epoch: number): Promise<void> {
  const current = await ctx.store.e2ee?.groupEpoch(roomId);
  if (current !== epoch) {
    throw builtInError(
      'E2EE_STALE_EPOCH',
      `This message was encrypted in epoch ${epoch} of the room's group, which is now at ${current ?? 0}: catch up and encrypt it again.`,
    );
  }
}

/** Readers take an encrypted edit only from the message's author: nobody else may make one. */
export function authorOnly(current: Message, userId: string | undefined): void {
  if (userId !== current.user.id) {
    throw builtInError(
      'FORBIDDEN',
      'In an end-to-end encrypted room only the author can edit a message: readers could not trust anyone else’s edit.',
    );
  }
}

/**
 * An encrypted message or edit from a device its user removed is refused (`E2EE_DEVICE_REMOVED`), also
 * before a member has committed the removal (until then the device still holds the group's keys).
 */
export async function notRemoved(ctx: CapabilityContext, userId: string, deviceId: string): Promise<void> {
  const [gone] = (await ctx.store.e2ee?.goneDevices([{ userId, deviceId }])) ?? [];
  if (gone) throw deviceRemoved(gone);
}
