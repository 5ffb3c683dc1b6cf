import type { ChatUploads } from '../capabilities/uploads/chat-uploads.js';
import type { DiskUploads } from '../capabilities/uploads/disk-uploads.js';
import type { FilesPort } from '../core/ports.js';

/** The uploads' storage as retention and a person's data reach it: what `uploads` offers, nothing without it. */
export function filesPort(uploads: DiskUploads | ChatUploads | undefined): FilesPort {
  return {
    attach: async (attachments) => {
      if (attachments.length > 0) await uploads?.attach?.(attachments);
    },
    removeAttached: async (attachments, ownerId) => {
      if (attachments.length > 0) await uploads?.removeAttached?.(attachments, ownerId);
    },
    filesOf: async (userId) => (await uploads?.filesOf?.(userId)) ?? [],
    removeFilesOf: async (userId) => {
      await uploads?.removeFilesOf?.(userId);
    },
  };
}
