import type { CommandInfo } from '@chat/protocol';

/** A slash command line split into its name and the rest. */
export interface CommandLine {
  /** Without the slash, lowercased: `remind`. */
  name: string;
  /** The rest of the line after the name, trimmed: `5m stand-up`. */
  args: string;
}

const LINE = /^\/([A-Za-z0-9][A-Za-z0-9_-]*)(?:\s+([\s\S]*))?$/u;

/**
 * Reads `/name args` (leading and trailing spaces ignored); undefined when the text is not a
 * command line (no slash first, or no name after it).
 * @example parseCommandLine('/remind 5m stand-up') // { name: 'remind', args: '5m stand-up' }
 */
export function parseCommandLine(line: string): CommandLine | undefined {
  const match = LINE.exec(line.trim());
  if (!match) return undefined;
  return { name: (match[1] as string).toLowerCase(), args: (match[2] ?? '').trim() };
}

/**
 * The commands whose name starts with what follows the slash in `text` (a composer offering them
 * as the user types `/re`); none once a space follows the name, or when `text` is no command.
 * @example commandsMatching(room.commands, '/re') // [{ name: 'remind', ... }]
 */
export function commandsMatching(commands: readonly CommandInfo[], text: string): CommandInfo[] {
  const match = /^\/([A-Za-z0-9_-]*)$/u.exec(text.trimStart());
  if (!match) return [];
  const prefix = (match[1] as string).toLowerCase();
  return commands.filter((command) => command.name.startsWith(prefix));
}
