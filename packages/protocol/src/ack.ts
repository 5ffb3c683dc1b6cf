import type { ChatErrorData } from './errors.js';

/** Every ack: success with data, or a protocol error. */
export type AckResponse<T> = { ok: true; data: T } | { ok: false; error: ChatErrorData };
/** The ack callback of a client -> server event. */
export type Ack<T> = (response: AckResponse<T>) => void;
/** The ack data of a request that answers nothing but success. */
export type EmptyResult = Record<string, never>;
