import { describe, expect, it } from 'vitest';
import { describeDuration, parseDuration } from '../src/durations.js';
import { sseData } from '../src/sse.js';
import { assistantFromEnv } from '../src/assistant.js';

describe('parseDuration', () => {
  it('reads s, m, h and their combinations, up to a day', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('24h')).toBe(86_400_000);
  });

  it('refuses what is not a wait, zero, or more than a day', () => {
    for (const text of ['', '5', 'm', '0m', '25h', '5 m', '-5m', '5d', '1.5h']) expect(parseDuration(text)).toBeUndefined();
  });

  it('says a wait in words', () => {
    expect(describeDuration(1000)).toBe('1 second');
    expect(describeDuration(5_400_000)).toBe('1 hour 30 minutes');
    expect(describeDuration(120_000)).toBe('2 minutes');
  });
});

describe('sseData', () => {
  async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
    for (const part of parts) yield new TextEncoder().encode(part);
  }
  const all = async (source: AsyncIterable<Uint8Array>) => {
    const out: string[] = [];
    for await (const data of sseData(source)) out.push(data);
    return out;
  };

  it('yields each event’s data, across chunk boundaries and line endings', async () => {
    expect(await all(chunks('data: {"a"', ':1}\n\n: comment\n\ndata: [DO', 'NE]\r\n\r\n'))).toEqual(['{"a":1}', '[DONE]']);
    expect(await all(chunks('event: x\ndata: one\ndata: two\n\n'))).toEqual(['one\ntwo']);
    expect(await all(chunks('data:tight'))).toEqual(['tight']);
  });

  it('splits a multi-byte character cut between chunks correctly', async () => {
    const bytes = new TextEncoder().encode('data: ¿qué?\n\n');
    async function* split(): AsyncGenerator<Uint8Array> {
      yield bytes.slice(0, 8);
      yield bytes.slice(8);
    }
    expect(await all(split())).toEqual(['¿qué?']);
  });
});

describe('assistantFromEnv', () => {
  it('needs OPENAI_BASE_URL; the model has a default and the key is optional', () => {
    expect(assistantFromEnv({})).toBeUndefined();
    expect(assistantFromEnv({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' })).toEqual({
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'gpt-4o-mini',
    });
    expect(assistantFromEnv({ OPENAI_BASE_URL: 'https://api.example/v1', OPENAI_MODEL: 'm', OPENAI_API_KEY: 'k' })).toEqual({
      baseUrl: 'https://api.example/v1',
      model: 'm',
      apiKey: 'k',
    });
  });
});
