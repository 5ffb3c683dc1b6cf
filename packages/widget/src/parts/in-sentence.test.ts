// @vitest-environment jsdom
import { render } from 'lit';
import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en.js';
import { es } from '../i18n/es.js';
import { inSentence, QUOTE, quoteMark } from './in-sentence.js';
import { renderTyping } from './typing.js';

/** What `result` draws: its text, and the text of each isolated quote. */
function drawn(result: unknown): { text: string; isolated: string[] } {
  const box = document.createElement('div');
  render(result, box);
  return {
    text: box.textContent?.replace(/\s+/gu, ' ').trim() ?? '',
    isolated: Array.from(box.querySelectorAll('bdi'), (b) => b.textContent ?? ''),
  };
}

describe('inSentence: quotes inside a sentence, isolated', () => {
  it('puts each quote back where the sentence had it, in a <bdi>, the text unchanged', () => {
    expect(drawn(inSentence(en.joined(QUOTE), 'José!'))).toEqual({ text: 'José! joined', isolated: ['José!'] });
    expect(drawn(inSentence(es.left(QUOTE), 'Ana (host)'))).toEqual({ text: es.left('Ana (host)'), isolated: ['Ana (host)'] });
    const three = ['Ana', 'Ben', 'محمد'];
    expect(drawn(inSentence(en.typing(three.map((_, i) => quoteMark(i))), ...three))).toEqual({
      text: 'Ana, Ben and محمد are typing…',
      isolated: three,
    });
  });

  it('puts each name back where a host’s sentence has it: twice, chosen or reordered', () => {
    expect(drawn(inSentence(`${QUOTE} joined. Welcome, ${QUOTE}!`, 'Ana'))).toEqual({
      text: 'Ana joined. Welcome, Ana!',
      isolated: ['Ana', 'Ana'],
    });
    const names = ['Ana', 'Ben', 'Cy'];
    const marks = names.map((_, i) => quoteMark(i));
    const lastAndMore = (list: string[]) => `${list.at(-1)} and ${list.length - 1} more…`;
    expect(drawn(inSentence(lastAndMore(marks), ...names)).text).toBe('Cy and 2 more…');
    expect(drawn(inSentence([...marks].reverse().join(', '), ...names)).text).toBe('Cy, Ben, Ana');
  });

  it('shows a host’s sentence that leaves the quote out as it is', () => {
    expect(inSentence('Someone joined', 'Ana')).toBe('Someone joined');
    expect(inSentence('', 'Ana')).toBe('');
  });

  it('isolates each name of the typing line, and only the names shown (“and 2 others”)', () => {
    const users = ['Ana', 'Ben', 'Cy', 'Dee', 'Eva'].map((name) => ({ id: name, name }));
    expect(drawn(renderTyping(en, users.slice(0, 2), 2))).toEqual({ text: 'Ana and Ben are typing…', isolated: ['Ana', 'Ben'] });
    expect(drawn(renderTyping(en, users, 5))).toEqual({ text: 'Ana, Ben and 3 others are typing…', isolated: ['Ana', 'Ben'] });
  });
});
