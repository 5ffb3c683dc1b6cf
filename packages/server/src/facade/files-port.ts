import type { ChatUploads } from '../capabilities/uploads/index.js';
import { DiskUploads } from '../capabilities/uploads/index.js';
import type { FilesPort } from '../core/ports.js';

const NOTHING = async (): Promise<void> => {};

/**
 * The uploads' storage as the message path, retention and a person's data reach it: what
 * `uploads` offers, nothing without it. Only `diskUploads()` knows the files of an encrypted
 * message (its declared `uploads`) and marks a deleted message's files before the row changes;
 * your own `removeAttached` is called after it.
 */
export function filesPort(uploads: DiskUploads | ChatUploads | undefined): FilesPort {
  const disk = uploads instanceof DiskUploads ? uploads : undefined;
  const custom = uploads instanceof DiskUploads ? undefined : uploads;
  return {
    configured: uploads !== undefined,
    attach: async (attachments, message, declared) => {
      if (disk) await disk.attach(attachments, message, declared);
      else if (attachments.length > 0) await custom?.attach?.(attachments);
    },
    release: async (message) => {
      // Only a message with attachments, or an encrypted one (whose files only its list names), has files.
      if (message.attachments.length === 0 && message.ciphertext === undefined) return { remove: NOTHING };
      if (disk) return disk.release(message);
      if (!custom?.removeAttached || message.attachments.length === 0) return { remove: NOTHING };
      return { remove: async () => custom.removeAttached?.(message.attachments, message.user.id) };
    },
    filesOf: async (userId) => (await uploads?.filesOf?.(userId)) ?? [],
    removeFilesOf: async (userId) => {
      await uploads?.removeFilesOf?.(userId);
    },
  };
}
