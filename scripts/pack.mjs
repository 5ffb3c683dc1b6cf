#!/usr/bin/env node
// `npm run pack`: builds what changed, then writes one npm tarball per package into ./packs (or
// --out <dir>) and prints how to install them. Until the packages are on the registry they must be
// installed together: @chat/server and @chat/client depend on @chat/protocol, the widget on the
// client, and npm finds those only among the tarballs given to the same `npm install`.
//
// Usage: node scripts/pack.mjs [--out <dir>] [--no-build]
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outArg = process.argv.indexOf('--out');
const out = resolve(outArg > 0 ? (process.argv[outArg + 1] ?? '') : join(root, 'packs'));
const shell = process.platform === 'win32';

/** The published packages, dependencies first. */
const packages = ['@chat/protocol', '@chat/server', '@chat/client', '@chat/widget', '@chat/react'];

if (!process.argv.includes('--no-build')) {
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), '--quiet'], { cwd: root, stdio: 'inherit' });
}

mkdirSync(out, { recursive: true });
for (const name of packages) rmSync(join(out, tarballName(name)), { force: true });
const args = ['pack', '--json', '--loglevel=warn', '--pack-destination', out, ...packages.flatMap((name) => ['-w', name])];
const packed = JSON.parse(execFileSync('npm', args, { cwd: root, encoding: 'utf8', shell, stdio: ['ignore', 'pipe', 'inherit'] }));
const files = packed.map((p) => join(out, p.filename));

const shown = relative(process.cwd(), out).startsWith('..') ? out : `./${relative(process.cwd(), out)}`;
console.log(`\nWrote ${files.length} tarballs to ${shown}:`);
for (const p of packed) console.log(`  ${p.filename}  (${(p.size / 1024).toFixed(0)} KB, ${p.entryCount} files)`);
console.log(`
Install the ones you use in one \`npm install\`, together with the packages they depend on, which
npm finds only among the tarballs of the same command: @chat/protocol always, @chat/client for the
widget, @chat/client and @chat/widget for @chat/react. All of them:

  npm install ${files.join(' ')}
`);

/** The file name `npm pack` gives a package of this repository (version from its package.json). */
function tarballName(name) {
  const dir = join(root, 'packages', name.replace('@chat/', ''));
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return `${name.replace('@', '').replace('/', '-')}-${version}.tgz`;
}
