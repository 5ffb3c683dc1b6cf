import { describe, expect, it } from 'vitest';
import type { CommandInfo } from '@chat/protocol';
import { commandsMatching, parseCommandLine } from './commands.js';

describe('parseCommandLine', () => {
  it('splits /name args, lowercasing the name and trimming the rest', () => {
    expect(parseCommandLine('/remind 5m stand-up')).toEqual({ name: 'remind', args: '5m stand-up' });
    expect(parseCommandLine('  /Help  ')).toEqual({ name: 'help', args: '' });
    expect(parseCommandLine('/note  line one\nline two ')).toEqual({ name: 'note', args: 'line one\nline two' });
    expect(parseCommandLine('/snake_case-ok')).toEqual({ name: 'snake_case-ok', args: '' });
  });

  it('is undefined for text that is not a command line', () => {
    for (const text of ['hello', '/', '/ help', '//help', 'a /help', '/-x', '/héllo', '']) expect(parseCommandLine(text)).toBeUndefined();
  });
});

describe('commandsMatching', () => {
  const commands: CommandInfo[] = [
    { name: 'help', description: 'Help.' },
    { name: 'remind', description: 'Remind.' },
    { name: 'report', description: 'Report.' },
  ];

  it('offers the commands that start with what follows the slash', () => {
    expect(commandsMatching(commands, '/').map((c) => c.name)).toEqual(['help', 'remind', 'report']);
    expect(commandsMatching(commands, '/re').map((c) => c.name)).toEqual(['remind', 'report']);
    expect(commandsMatching(commands, '/REM').map((c) => c.name)).toEqual(['remind']);
  });

  it('offers none once the name is followed by a space, or for other text', () => {
    expect(commandsMatching(commands, '/remind ')).toEqual([]);
    expect(commandsMatching(commands, 'remind')).toEqual([]);
    expect(commandsMatching(commands, '/zzz')).toEqual([]);
  });
});
