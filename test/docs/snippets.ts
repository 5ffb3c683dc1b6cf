// Finds the code snippets of the docs: fenced ```ts / ```tsx / ```js blocks in Markdown.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** One fenced TypeScript or JavaScript block of a Markdown file. */
export interface Snippet {
  /** Repository-relative path of the Markdown file. */
  file: string;
  /** 1-based line of the first line of code (the line after the opening fence). */
  line: number;
  /** `js` for ```js, ```javascript and ```mjs blocks: checked as JavaScript, run as they are. */
  lang: 'ts' | 'tsx' | 'js';
  /**
   * `run`: compiled, and run as a Node program by run-snippets.integration.test.ts;
   * `compile-only`: marked with {@link COMPILE_ONLY_MARKER}, only compiled.
   */
  mode: 'run' | 'compile-only';
  code: string;
}

/**
 * Put this comment on the line before a fence to leave the block out of the check, with the
 * reason in it: `<!-- snippet: skip (a fragment of the options above) -->`. Use it sparingly:
 * for fragments that cannot stand alone, not for code that does not compile.
 */
const SKIP_MARKER = /<!--\s*snippet:\s*skip\b.*?-->/u;

/**
 * Put this comment on the line before a fence to compile the block but not run it, with the
 * reason in it: `<!-- snippet: compile-only (browser code: uses document) -->`. For code that
 * cannot run as a Node program on its own (browser-only code, a service outside the test), not for
 * code that fails.
 */
const COMPILE_ONLY_MARKER = /<!--\s*snippet:\s*compile-only\b.*?-->/u;

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/u;

/** The language of a fence's info string that snippets are taken from, or undefined for the others. */
function snippetLang(info: string): Snippet['lang'] | undefined {
  switch (info.toLowerCase()) {
    case 'ts':
    case 'typescript':
      return 'ts';
    case 'tsx':
      return 'tsx';
    case 'js':
    case 'javascript':
    case 'mjs':
      return 'js';
    default:
      return undefined;
  }
}

/**
 * The ```ts, ```tsx and ```js blocks of `markdown` (```typescript, ```javascript and ```mjs too),
 * except those marked with {@link SKIP_MARKER}; those marked with {@link COMPILE_ONLY_MARKER} have
 * the mode `compile-only`.
 */
export function extractSnippets(file: string, markdown: string): Snippet[] {
  const lines = markdown.split('\n');
  const snippets: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '```', info = ''] = open;
    let end = i + 1;
    while (end < lines.length && !(lines[end] ?? '').trimStart().startsWith(fence)) end++;
    const lang = snippetLang(info);
    let before = i - 1;
    while (before >= 0 && (lines[before] ?? '').trim() === '') before--;
    const previous = lines[before] ?? '';
    if (lang !== undefined && !SKIP_MARKER.test(previous)) {
      // Fences inside list items are indented; their code is indented the same.
      const code = lines
        .slice(i + 1, end)
        .map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l))
        .join('\n');
      const mode = COMPILE_ONLY_MARKER.test(previous) ? 'compile-only' : 'run';
      snippets.push({ file, line: i + 2, lang, mode, code });
    }
    i = end;
  }
  return snippets;
}

/** The Markdown files whose snippets are checked (repository-relative): docs/ and the READMEs. */
export function markdownFiles(repo: string): string[] {
  const list = (dir: string, depth = 0): string[] =>
    readdirSync(join(repo, dir), { withFileTypes: true }).flatMap((entry) => {
      const rel = dir === '.' ? entry.name : `${dir}/${entry.name}`;
      if (entry.isDirectory()) return depth === 0 && entry.name !== 'node_modules' ? list(rel, depth + 1) : [];
      return entry.name.endsWith('.md') ? [rel] : [];
    });
  return [
    ...list('docs'),
    'README.md',
    ...list('packages').filter((f) => f.endsWith('/README.md')),
    ...list('examples').filter((f) => f.endsWith('/README.md')),
  ];
}
