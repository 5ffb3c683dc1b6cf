// Finds the TypeScript snippets of the docs: fenced ```ts / ```tsx blocks in Markdown.

/** One fenced TypeScript block of a Markdown file. */
export interface Snippet {
  /** Repository-relative path of the Markdown file. */
  file: string;
  /** 1-based line of the first line of code (the line after the opening fence). */
  line: number;
  lang: 'ts' | 'tsx';
  code: string;
}

/**
 * Put this comment on the line before a fence to leave the block out of the check, with the
 * reason in it: `<!-- snippet: skip (a fragment of the options above) -->`. Use it sparingly:
 * for fragments that cannot stand alone, not for code that does not compile.
 */
const SKIP_MARKER = /<!--\s*snippet:\s*skip\b[^>]*-->/u;

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/u;

/** The ```ts and ```tsx blocks of `markdown`, except those marked with {@link SKIP_MARKER}. */
export function extractSnippets(file: string, markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '```', info = ''] = open;
    let end = i + 1;
    while (end < lines.length && !(lines[end] ?? '').trimStart().startsWith(fence)) end++;
    const lang = info.toLowerCase();
    let before = i - 1;
    while (before >= 0 && (lines[before] ?? '').trim() === '') before--;
    const previous = lines[before] ?? '';
    if ((lang === 'ts' || lang === 'typescript' || lang === 'tsx') && !SKIP_MARKER.test(previous)) {
      // Fences inside list items are indented; their code is indented the same.
      const code = lines
        .slice(i + 1, end)
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
        .join('\n');
      snippets.push({ file, line: i + 2, lang: lang === 'tsx' ? 'tsx' : 'ts', code });
    }
    i = end;
  }
  return snippets;
}
