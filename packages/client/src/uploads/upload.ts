import {
  builtInError,
  ChatError,
  isChatErrorData,
  type Attachment,
  type AttachmentKind,
  type ErrorCode,
  type UploadTarget,
} from '@chat/protocol';
import { authHeaders, type ChatAuth } from '../core/auth.js';
import { ConnectionLostError } from '../core/transport.js';

/** How much of a file has gone out. */
export interface UploadProgress {
  /** Bytes of the file sent so far. */
  loaded: number;
  /** The file's size in bytes. */
  total: number;
}

/** Options of `client.upload()` and `room.upload()`. */
export interface UploadOptions {
  /**
   * Called as the file goes out. Browsers report progress (XMLHttpRequest upload events);
   * Node's fetch has no upload progress, so there it is called once, when the file is sent.
   */
  onProgress?: (progress: UploadProgress) => void;
  /** Cancels the upload; the promise then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** The room the file is for (`room.upload` sets it); the server's `authorize` and `sign` see it. */
  roomId?: string;
  /** The file's name, for a Blob that is not a File. @default the File's name, else 'file' */
  name?: string;
  /** `'voice'`: a voice message (`room.sendVoice` sets it); the server takes only WebM, Ogg or MP4 audio. */
  kind?: AttachmentKind;
}

/** Where files are uploaded, and as whom. */
export interface UploadEndpoint {
  /** The server's `POST /uploads`, absolute. */
  url: string;
  auth: ChatAuth | undefined;
}

interface HttpAnswer {
  status: number;
  text: string;
}

/**
 * Uploads a file and resolves with the `Attachment` to send in a message. First asks the server
 * where the file goes (`POST /uploads` with `{ name, type, size }`), which may refuse it at once
 * (too large, a type it does not take, no right to upload), then sends it there: to the chat
 * server itself (the disk default) or to the URL the server signed (an object store).
 */
export async function uploadFile(endpoint: UploadEndpoint, file: Blob, options: UploadOptions = {}): Promise<Attachment> {
  const name = options.name ?? (typeof (file as { name?: unknown }).name === 'string' ? (file as File).name : 'file');
  const credentials = authHeaders(endpoint.auth);
  const description = {
    name,
    type: file.type,
    size: file.size,
    ...(options.roomId !== undefined && { roomId: options.roomId }),
    ...(options.kind !== undefined && { kind: options.kind }),
  };
  const asked = await request(endpoint.url, {
    method: 'POST',
    headers: { ...credentials, 'content-type': 'application/json' },
    body: JSON.stringify(description),
    ...(options.signal && { signal: options.signal }),
  });
  const target = readTarget(answerOf(asked));

  const url = new URL(target.url, endpoint.url);
  // The chat credentials go only to the chat server's own origin, never to an object store.
  const headers = { ...target.headers, ...(target.withAuth && url.origin === new URL(endpoint.url).origin ? credentials : {}) };
  let body: Blob | FormData = file;
  if (target.method === 'POST') {
    const form = new FormData();
    for (const [key, value] of Object.entries(target.fields ?? {})) form.append(key, value);
    form.append(target.fileField ?? 'file', file, name);
    body = form;
  }
  const sent = await sendBody(target.method, url.href, headers, body, file.size, options);
  const answer = answerOf(sent);
  const attachment = target.attachment ?? (answer as { attachment?: unknown } | undefined)?.attachment;
  if (!isAttachment(attachment)) throw builtInError('INTERNAL', 'The server did not say where the uploaded file is.');
  return attachment;
}

/** The headers that carry the client's credentials: a bearer token, or the guest's auth as `X-Chat-Auth`. */
async function request(url: string, init: RequestInit): Promise<HttpAnswer> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch (error) {
    if (init.signal?.aborted) throw init.signal.reason;
    throw new ConnectionLostError('The upload could not reach the server.', error);
  }
  return { status: res.status, text: await res.text() };
}

// XMLHttpRequest where there is one (browsers: upload progress), else fetch (Node).
function sendBody(
  method: string,
  url: string,
  headers: Record<string, string>,
  body: Blob | FormData,
  size: number,
  options: UploadOptions,
): Promise<HttpAnswer> {
  const { onProgress, signal } = options;
  if (typeof XMLHttpRequest !== 'function') {
    return request(url, { method, headers, body, ...(signal && { signal }) }).then((answer) => {
      onProgress?.({ loaded: size, total: size });
      return answer;
    });
  }
  return new Promise<HttpAnswer>((resolve, reject) => {
    if (signal?.aborted) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the abort's own reason, whatever the caller gave, as fetch rejects
      reject(signal.reason);
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    for (const [key, value] of Object.entries(headers)) xhr.setRequestHeader(key, value);
    // A form's total includes its boundaries: report the file's share of it.
    xhr.upload.onprogress = (event) => {
      const share = event.lengthComputable && event.total > 0 ? event.loaded / event.total : 0;
      onProgress?.({ loaded: Math.min(size, Math.round(share * size)), total: size });
    };
    const onAbort = () => xhr.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal?.removeEventListener('abort', onAbort);
    xhr.onload = () => {
      settle();
      resolve({ status: xhr.status, text: xhr.responseText });
    };
    xhr.onerror = () => {
      settle();
      reject(new ConnectionLostError('The upload failed: the connection was lost.'));
    };
    xhr.onabort = () => {
      settle();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the abort's own reason, whatever the caller gave, as fetch rejects
      reject(signal?.reason ?? new ConnectionLostError('The upload was cancelled.'));
    };
    xhr.send(body);
  });
}

// What each status means when the answer is not the chat's JSON (an object store's XML error).
const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'VALIDATION_FAILED',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'RATE_LIMITED',
};

/** The JSON of a 2xx answer (undefined when it has none), or the error it carries as a ChatError. */
function answerOf({ status, text }: HttpAnswer): unknown {
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (status >= 200 && status < 300) return body;
  const error = (body as { error?: unknown } | undefined)?.error;
  if (isChatErrorData(error)) throw ChatError.fromData(error);
  throw builtInError(STATUS_CODES[status] ?? 'INTERNAL', `The upload failed (HTTP ${status}).`);
}

function readTarget(answer: unknown): UploadTarget {
  const target = (answer as { upload?: Partial<UploadTarget> } | undefined)?.upload;
  if (!target || typeof target.url !== 'string' || (target.method !== 'PUT' && target.method !== 'POST')) {
    throw builtInError('INTERNAL', 'The server did not say where to upload the file.');
  }
  return target as UploadTarget;
}

function isAttachment(value: unknown): value is Attachment {
  const a = value as Partial<Attachment> | undefined;
  return typeof a === 'object' && a !== null && typeof a.url === 'string' && typeof a.type === 'string';
}
