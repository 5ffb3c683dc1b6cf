// Slash commands, a built-in written as a host writes a plugin (docs/plugins.md): `command:run` in a
// room the socket joined, checked by the protocol's schema, and the commands listed in every join's
// answer. The commands (`chat.command()`) and how a command without a bot posts are given to it.
import { parsePayload, type CommandRunPayload, type PayloadSchemas } from '@chat/protocol';
import { definePlugin, type DefinedPlugin, type PluginEvent, type PluginEvents } from '../../core/plugin.js';
import { parsedSchema } from '../../core/parsed-schema.js';
import { runCommand, type CommandParts } from './run-command.js';

export type { CommandParts } from './run-command.js';

/** The commands plugin: its join answer is the list of commands (the join answer's own `commands`, see facade/capabilities.ts). */
export function commandsPlugin(parts: CommandParts & { schema: PayloadSchemas['command:run'] }): DefinedPlugin {
  // The protocol's schema, refusing with the protocol's own sentences.
  const payload = parsedSchema<CommandRunPayload>((value) => parsePayload(parts.schema, value));
  const event: PluginEvent<'command:run', undefined> = {
    payload,
    handle: ({ user, handshake, payload: request }, tools) => runCommand(tools, parts, { user, handshake }, request),
  };
  return definePlugin({
    name: 'commands',
    // A built-in event, typed by the protocol's own map (a host's plugin types CustomClientEvents').
    events: { 'command:run': event } as PluginEvents<undefined>,
    joinAnswer: () => parts.commands.list(),
  });
}
