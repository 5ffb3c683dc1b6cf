#!/usr/bin/env node
// Makes a package's CommonJS declarations (dist/*.d.cts) importable from CommonJS TypeScript.
//
// tsup writes the .d.cts files with the same `import { JWTPayload } from 'jose'` as the .d.ts
// ones. When such a dependency is ESM-only (jose, idb), TypeScript refuses that import in a
// CommonJS file (TS1479), so every CommonJS project with `skipLibCheck: false` fails on our
// declarations. A declaration file only needs the dependency's types, which TypeScript (5.3 and
// newer) loads from CommonJS when asked to: this rewrites those imports as
// `import type { JWTPayload } from 'jose' with { 'resolution-mode': 'import' }` (and re-exports
// as `export type { ... } from ... with { ... }`: from CommonJS such a class is a type, not a
// value to require). Imports of dual packages and of our own files are left as they are.
//
// Usage: node scripts/fix-cjs-declarations.mjs <package>/dist (scripts/build.mjs runs it after tsup)
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const dist = resolve(process.argv[2] ?? 'dist');
const options = { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 };
const host = ts.sys;

/** True when `specifier`, required from `file`, has only ESM declarations. */
function isEsmOnly(specifier, file) {
  const { resolvedModule } = ts.resolveModuleName(specifier, file, options, host, undefined, undefined, ts.ModuleKind.CommonJS);
  if (resolvedModule) return resolvedModule.extension === ts.Extension.Dmts || impliedEsm(resolvedModule);
  // Not resolvable from CommonJS at all: ESM-only when it resolves as an import.
  return Boolean(ts.resolveModuleName(specifier, file, options, host, undefined, undefined, ts.ModuleKind.ESNext).resolvedModule);
}

/** A .d.ts file is ESM when its nearest package.json says `"type": "module"`. */
function impliedEsm(resolved) {
  if (resolved.extension !== ts.Extension.Dts) return false;
  const format = ts.getImpliedNodeFormatForFile(resolved.resolvedFileName, undefined, host, options);
  return format === ts.ModuleKind.ESNext;
}

let changed = 0;
for (const name of readdirSync(dist).filter((f) => f.endsWith('.d.cts'))) {
  const file = join(dist, name);
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const edits = [];
  for (const statement of source.statements) {
    if (!statement.moduleSpecifier || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const specifier = statement.moduleSpecifier.text;
    if (specifier.startsWith('.') || statement.attributes || !isEsmOnly(specifier, file)) continue;
    const attributes = `with { 'resolution-mode': 'import' }`;
    let replacement;
    if (ts.isExportDeclaration(statement)) {
      // A re-export (`export { ChatRoomElement } from '@chat/widget'`) becomes a type re-export.
      const clause = statement.exportClause ? statement.exportClause.getText(source) : '*';
      replacement = `export type ${clause} from '${specifier}' ${attributes};`;
    } else {
      if (!statement.importClause) continue; // `import 'x'` (a bare import left by the bundler) loads no types
      // A type-only import has a default or named bindings, not both: one statement each.
      const { name: defaultName, namedBindings } = statement.importClause;
      const clauses = [defaultName, namedBindings].filter(Boolean).map((node) => node.getText(source));
      replacement = clauses.map((clause) => `import type ${clause} from '${specifier}' ${attributes};`).join('\n');
    }
    edits.push({ start: statement.getStart(source), end: statement.end, text: replacement });
  }
  if (edits.length === 0) continue;
  let out = text;
  for (const edit of edits.reverse()) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  writeFileSync(file, out);
  changed += edits.length;
}
if (changed > 0) console.log(`fix-cjs-declarations: ${changed} import(s) of ESM-only packages in ${dist} now load as types`);
