/**
 * The `data` of each server-sent event in a byte stream (what an OpenAI-compatible endpoint sends
 * with `stream: true`): lines `data: ...` (several make one event, joined by newlines), an empty
 * line ends an event, comments (`: ...`) and other fields are skipped.
 */
export async function* sseData(body: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  const lines = function* (final: boolean): Generator<string> {
    for (;;) {
      const end = buffer.search(/\r\n|\n|\r/u);
      if (end === -1) break;
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + (buffer.startsWith('\r\n', end) ? 2 : 1));
      yield line;
    }
    if (final && buffer !== '') {
      yield buffer;
      buffer = '';
    }
  };
  const step = function* (line: string): Generator<string> {
    if (line === '') {
      if (data.length > 0) yield data.join('\n');
      data = [];
    } else if (line.startsWith('data:')) {
      data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
    }
  };
  for await (const chunk of body) {
    buffer += decoder.decode(chunk, { stream: true });
    for (const line of lines(false)) yield* step(line);
  }
  buffer += decoder.decode();
  for (const line of lines(true)) yield* step(line);
  yield* step('');
}
