import type { Attachment, ChatError } from '@chat/client';

/** A file picked for the next message: uploading, uploaded, or refused. */
export interface UploadDraft {
  id: number;
  name: string;
  /** An object URL of the file while it is an image: its preview (revoked when the draft goes). */
  preview: string | undefined;
  /** Percent sent. */
  percent: number;
  /** Set once uploaded. */
  attachment?: Attachment;
  /** Why it was refused (the server's sentence): too large, a type it does not take... */
  error?: ChatError;
  abort: AbortController;
}
