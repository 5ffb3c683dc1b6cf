import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractSnippets, markdownFiles, type Snippet } from './snippets.js';

// Every ```ts / ```tsx block in docs/ and the READMEs compiles under strict TypeScript against the
// packages as built (their exports maps and declarations, as a user's editor sees them), and every
// ```js block is checked as JavaScript the way an editor checks a file with `// @ts-check`
// (checkJs, not strict). A block that cannot stand alone is marked `<!-- snippet: skip (why) -->`
// on the line before its fence; one marked `<!-- snippet: compile-only (why) -->` is compiled here
// but not run by run-snippets.integration.test.ts, which runs all the others.

const repo = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Names a snippet may use without defining them, because the page defined them just before
 * (getting-started builds one app step by step). Keep this list short.
 */
const CONTEXT = `
declare const httpServer: import('node:http').Server;
`;

/**
 * The declaration files read from disk (TypeScript's libs, @types/node, the built packages),
 * parsed once for every program of this file: parsing them is most of the cost of a program.
 */
const parsedFromDisk = new Map<string, ts.SourceFile | undefined>();

const TS_OPTIONS: ts.CompilerOptions = {
  strict: true,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  types: ['node'],
  jsx: ts.JsxEmit.ReactJSX,
  skipLibCheck: true,
  esModuleInterop: true,
};

/** JavaScript as an editor checks it with `// @ts-check`: types of the packages, no strict mode. */
const JS_OPTIONS: ts.CompilerOptions = { ...TS_OPTIONS, strict: false, allowJs: true, checkJs: true };

/**
 * Compiles the snippets, the ts and tsx blocks as one program of in-memory modules and the js
 * blocks as another; returns one line per error.
 */
function compile(snippets: Snippet[]): string[] {
  const typescript = snippets.filter((snippet) => snippet.lang !== 'js');
  const javascript = snippets.filter((snippet) => snippet.lang === 'js');
  return [typescript, javascript].flatMap((part) =>
    part.length === 0 ? [] : compileProgram(part, part === javascript ? JS_OPTIONS : TS_OPTIONS),
  );
}

function compileProgram(snippets: Snippet[], options: ts.CompilerOptions): string[] {
  const dir = join(repo, 'test', 'docs', '__snippets__'); // never written: files live in memory
  const sources = new Map<string, { text: string; snippet: Snippet | null }>();
  sources.set(join(dir, 'context.d.ts'), { text: CONTEXT, snippet: null });
  snippets.forEach((snippet, i) => {
    const name = `${snippet.file.replace(/[^a-z0-9]+/giu, '-')}-${snippet.line}-${i}.${snippet.lang}`;
    sources.set(join(dir, name), { text: `${snippet.code}\nexport {};\n`, snippet });
  });
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) => {
    const virtual = sources.get(fileName);
    if (virtual) return ts.createSourceFile(fileName, virtual.text, languageVersion, true);
    if (!parsedFromDisk.has(fileName)) parsedFromDisk.set(fileName, getSourceFile(fileName, languageVersion, ...rest));
    return parsedFromDisk.get(fileName);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => sources.has(fileName) || fileExists(fileName);
  const readFile = host.readFile.bind(host);
  host.readFile = (fileName) => sources.get(fileName)?.text ?? readFile(fileName);

  const program = ts.createProgram([...sources.keys()], options, host);
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n  ');
    const source = diagnostic.file && sources.get(diagnostic.file.fileName);
    if (!diagnostic.file || diagnostic.start === undefined) return `TS${diagnostic.code}: ${message}`;
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    if (!source?.snippet) return `${diagnostic.file.fileName}:${line + 1}:${character + 1}: TS${diagnostic.code}: ${message}`;
    const { file, line: first } = source.snippet;
    return `${file}:${first + line}:${character + 1}: TS${diagnostic.code}: ${message}\n  (in the ${source.snippet.lang} block that starts at line ${first})`;
  });
}

describe('the TypeScript and JavaScript snippets of the docs', () => {
  beforeAll(() => {
    // The snippets import the built packages: build what changed (nothing after `npm run build`).
    execFileSync(process.execPath, [join(repo, 'scripts/build.mjs'), '--quiet'], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  }, 600_000);

  it('compile (ts and tsx under strict TypeScript, js as checked JavaScript); each error names the Markdown file and line', () => {
    const snippets = markdownFiles(repo).flatMap((file) => extractSnippets(file, readFileSync(join(repo, file), 'utf8')));
    expect(snippets.length).toBeGreaterThan(0);
    expect(existsSync(join(repo, 'packages/server/dist/index.d.ts')), 'the packages are built').toBe(true);
    expect(compile(snippets).join('\n\n')).toBe('');
  }, 120_000);

  it('reports an error at the line of the Markdown file where it is', () => {
    const markdown = ['# Page', '', '```ts', "import { ChatError } from '@chat/protocol';", '', "const n: number = 'one';", '```', ''].join(
      '\n',
    );
    const errors = compile(extractSnippets('docs/example.md', markdown));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^docs\/example\.md:6:7: TS2322: Type 'string' is not assignable to type 'number'/u);
  }, 120_000);

  it('checks a js block against the packages, as JavaScript', () => {
    const markdown = [
      '```js',
      "import { createChatServer } from '@chat/server';",
      '',
      "createChatServer(httpServer, { allowedOrigins: 'https://x.example' });",
      '```',
    ].join('\n');
    const errors = compile(extractSnippets('docs/example.md', markdown));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^docs\/example\.md:4:\d+: TS2322: Type 'string' is not assignable to type '.*string\[\]/u);
    expect(errors[0]).toMatch(/in the js block that starts at line 2/u);
  }, 120_000);
});

describe('extractSnippets', () => {
  it('takes ts, tsx and js blocks, with their first line and mode, leaves other languages and skipped blocks', () => {
    const markdown = [
      '```js', // 1
      'const a = 1;',
      '```',
      '```ts', // 4
      'const b: number = 2;',
      '```',
      '<!-- snippet: skip (a fragment) -->',
      '',
      '```ts',
      'fragment,',
      '```',
      '- a list item:',
      '', // 13
      '  <!-- snippet: compile-only (browser code) -->',
      '  ```tsx',
      '  const c = <div />;',
      '  ```',
      '```json', // 18
      '{ "d": 4 }',
      '```',
      '<!-- snippet: skip (browser code) -->',
      '```javascript',
      'document.title = "e";',
      '```',
      '```mjs', // 25
      'const f = 6;',
      '```',
    ].join('\n');
    expect(extractSnippets('x.md', markdown)).toEqual([
      { file: 'x.md', line: 2, lang: 'js', mode: 'run', code: 'const a = 1;' },
      { file: 'x.md', line: 5, lang: 'ts', mode: 'run', code: 'const b: number = 2;' },
      { file: 'x.md', line: 16, lang: 'tsx', mode: 'compile-only', code: 'const c = <div />;' },
      { file: 'x.md', line: 26, lang: 'js', mode: 'run', code: 'const f = 6;' },
    ]);
  });
});
