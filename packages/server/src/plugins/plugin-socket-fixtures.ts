// A plugin's requests and events from a raw socket, for the plugins' integration tests: their
// events are not in the built-in typed maps.
import type { RawSocket } from '../../../../test-support/servers.js';

/** A request's answer, as the kernel acks it. */
export type Answer = { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };

/** Sends a plugin's request from a raw socket and resolves with its answer. */
export function ask(socket: RawSocket, event: string, payload: unknown): Promise<Answer> {
  const loose = socket as unknown as { emit(event: string, payload: unknown, ack: (answer: Answer) => void): void };
  return new Promise((resolve) => loose.emit(event, payload, resolve));
}

/** Listens to a plugin's server event on a raw socket. */
export function on<T>(socket: RawSocket, event: string, fn: (data: T) => void): void {
  (socket as unknown as { on(event: string, fn: (data: T) => void): void }).on(event, fn);
}

/** A request's data; a refusal throws its code and sentence. */
export function data<T>(answer: Answer): T {
  if (!answer.ok) throw new Error(`${answer.error.code}: ${answer.error.message}`);
  return answer.data as T;
}
