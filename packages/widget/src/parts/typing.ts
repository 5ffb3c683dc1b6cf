import { html, type TemplateResult } from 'lit';
import type { UserRef } from '@chat/client';
import type { ChatStrings } from '../i18n/strings.js';
import { inSentence, quoteMark } from './in-sentence.js';

/** The "... is typing" line: who types (`typing`), of `count` typing in all. */
export function renderTyping(strings: ChatStrings, typing: readonly UserRef[], count: number): TemplateResult {
  return html`<div part="typing" class="typing" aria-live="polite">
    ${
      // A large room past a few typists: not their names, how many there are.
      count > typing.length
        ? strings.severalTyping
        : typing.length
          ? inSentence(strings.typing(typing.map((u, i) => (i < 32 ? quoteMark(i) : u.name))), ...typing.map((u) => u.name))
          : ''
    }
  </div>`;
}
