/** The wrappers `on` put around the host's listeners, by listener and event. */
export type ListenerWrappers = WeakMap<object, Map<string, unknown>>;

/**
 * The listener, wrapped so that the promise an async listener returns cannot reject unseen
 * (an unhandled rejection ends a Node process by default): `failed` hears its rejection. One
 * wrapper per listener and event, kept in `wrappers`, so that `off` finds it.
 */
export function guardedListener<L>(wrappers: ListenerWrappers, event: unknown, listener: L, failed: (error: unknown) => void): L {
  const byEvent = wrappers.get(listener as object) ?? new Map<string, unknown>();
  wrappers.set(listener as object, byEvent);
  const existing = byEvent.get(String(event));
  if (existing) return existing as L;
  const wrapper = function (this: unknown, ...args: unknown[]): unknown {
    const result: unknown = (listener as (...a: unknown[]) => unknown).apply(this, args);
    if (result instanceof Promise) result.catch(failed);
    return result;
  };
  byEvent.set(String(event), wrapper);
  return wrapper as L;
}
