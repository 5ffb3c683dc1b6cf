import type { CustomRequestName, CustomServerEvents, RequestPayloadOf, RequestResultOf, ServerEventData } from '@chat/protocol';

/**
 * What a room's plugin features (`room.liveReactions`, `room.pins`) need of the client: its plugin
 * requests (`client.request`) and the plugin events it hears (`client.on`).
 */
export interface PluginLink {
  /** Sends a plugin's request once the room is joined; resolves with its ack's data or rejects with the `ChatError`. */
  request<E extends CustomRequestName>(event: E, payload: RequestPayloadOf<E>): Promise<RequestResultOf<E>>;
  /** Listens to a plugin's server event; call the returned function to stop. */
  on<E extends Extract<keyof CustomServerEvents, string>>(event: E, listener: (data: ServerEventData<E>) => void): () => void;
}

/** What a room's plugin features (`room.pins`, `room.polls`, `room.questions`) read and set of their room: the plugins' state. */
export interface PluginStateHost {
  readonly plugins: Readonly<Record<string, unknown>>;
  /** @internal A plugin's state changed (its `<plugin>:updated`, or a request's answer): the room's `updated` fires. */
  _pluginState(plugin: string, state: unknown): void;
}
