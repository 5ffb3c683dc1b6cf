import { describe, expect, it } from 'vitest';
import { cleanDisplayName } from './display-name.js';
import type { ChatError } from './errors.js';

function refusal(raw: string): string {
  try {
    return `accepted as ${JSON.stringify(cleanDisplayName(raw))}`;
  } catch (error) {
    expect((error as ChatError).code).toBe('VALIDATION_FAILED');
    return (error as Error).message;
  }
}

describe('cleanDisplayName', () => {
  it('keeps names in any script, with accents and emoji', () => {
    const names = ['José', 'محمد', '李雷', 'Ana 🎉', 'Zoë Ñúñez', 'Ψυχή', 'Ольга', 'नमस्ते', '김민준', '👩‍💻 Ana', '❤️ Ana', '👍🏽 Bo', '1️⃣ Uno'];
    for (const name of names) expect(cleanDisplayName(name), name).toBe(name);
    // Persian needs the zero-width non-joiner inside a word; it is kept.
    expect(cleanDisplayName('می‌خواهم')).toBe('می‌خواهم');
  });

  it('normalises (NFKC), folds blanks to one space and trims', () => {
    expect(cleanDisplayName('  Ana  ')).toBe('Ana');
    expect(cleanDisplayName('Ａｎａ')).toBe('Ana');
    expect(cleanDisplayName('Ana\u3000\u00A0 Ruiz')).toBe('Ana Ruiz');
    expect(cleanDisplayName('Ana\tRuiz\n')).toBe('Ana Ruiz');
    expect(cleanDisplayName('Ana\u2800Ruiz')).toBe('Ana Ruiz');
    expect(cleanDisplayName('Jose\u0301')).toBe('José');
  });

  it('strips invisible characters', () => {
    const invisible = ['A\u200Bna', 'Ana\u00AD', 'A\u034Fna', 'An\u2060a', 'A\u2062na', '\uFEFFAna', 'Ana\u180E', 'A\u200Cna', 'A\u200Dna'];
    for (const raw of invisible) expect(cleanDisplayName(raw), JSON.stringify(raw)).toBe('Ana');
    // Hangul fillers and lone variation selectors
    for (const raw of ['\u3164Ana', 'Ana\u115F', 'A\u1160na', 'Ana\uFFA0', '\uFE0FAna', 'A\uFE0Fna', 'Ana\u{E0061}']) {
      expect(cleanDisplayName(raw), JSON.stringify(raw)).toBe('Ana');
    }
  });

  it('refuses controls, text-direction controls, broken UTF-16 and blank names, in a sentence', () => {
    for (const raw of ['Ana\u0000', 'a\u0007b', 'Ana\u0085', 'Ana\u009B', 'Ana\u007F']) {
      expect(refusal(raw), JSON.stringify(raw)).toBe('Names cannot contain control characters.');
    }
    for (const raw of ['\u202EanA', 'Ana\u202D', '\u2066Ana\u2069', 'Ana\u200F', 'Ana\u200E', 'Ana\u061C']) {
      expect(refusal(raw), JSON.stringify(raw)).toBe('Names cannot contain text-direction control characters.');
    }
    expect(refusal('\uD800Ana')).toBe('Names must be valid Unicode text.');
    expect(refusal('Ana\uDFFF')).toBe('Names must be valid Unicode text.');
    const blank = ['', '   ', '\u2800', '\u3164', '\u115F\u1160', '\uFFA0', ' \u200B ', '\u00AD', '\u0301\u0301', '\uFE0F'];
    for (const raw of blank) expect(refusal(raw), JSON.stringify(raw)).toBe('Please choose a name.');
  });

  it('is idempotent', () => {
    for (const raw of ['  Ａｎａ\u200B 🎉 ', 'می‌خواهم', '👩‍💻 Ana', 'Ana\u2800\u2800Ruiz']) {
      const once = cleanDisplayName(raw);
      expect(cleanDisplayName(once)).toBe(once);
    }
  });
});
