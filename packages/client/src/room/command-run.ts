// Running a slash command line, loaded by the first (`room.runCommand()`, `thread.runCommand()`).
import { builtInError, type ChatError, type CommandRunResult } from '@chat/protocol';
import type { ServerLink } from '../core/transport.js';
import { parseCommandLine } from './commands.js';

/** Runs a slash command line in a room, or in the thread of `threadOf` (see `ChatRoom.runCommand`, `ChatThread.runCommand`). */
export async function runCommand(link: ServerLink, roomId: string, line: string, threadOf?: string): Promise<CommandRunResult> {
  const command = typeof line === 'string' ? parseCommandLine(line) : undefined;
  if (!command) throw notACommand();
  // An undefined threadOf is left out of the frame (JSON).
  return link.request('command:run', { roomId, name: command.name, args: command.args, threadOf });
}

/** The error of a line that is not a command. */
function notACommand(): ChatError {
  return builtInError('VALIDATION_FAILED', 'A command starts with / and its name, like /help.');
}
