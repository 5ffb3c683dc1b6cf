// What each source costs in a built bundle: `node scripts/bundle-sizes.mjs [bundle.js] [--files]`
// (default packages/widget/dist/chat-room.min.js, built with its source map by rollup.config.mjs).
// Every byte of the bundle is given to the source its source map points at, followed through the
// maps of prebuilt dist files (the SDK's) to their own sources. Per source, three numbers:
// `raw` bytes in the bundle, `alone` (those bytes gzipped by themselves: an upper bound) and
// `saved` (how much smaller the gzipped bundle is without them: what removing it would save).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const args = process.argv.slice(2);
const bundle = resolve(args.find((a) => !a.startsWith('--')) ?? 'packages/widget/dist/chat-room.min.js');
const perFile = args.includes('--files');
const gz = (text) => gzipSync(text, { level: 9 }).length;

const B64 = new Map([...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'].map((c, i) => [c, i]));

/** Decodes a source map's `mappings`: per generated line, segments [column, source, line, column]. */
function decode(mappings) {
  const lines = [];
  let source = 0;
  let line = 0;
  let column = 0;
  for (const text of mappings.split(';')) {
    const segments = [];
    let generated = 0;
    for (const part of text.split(',')) {
      if (!part) continue;
      const values = [];
      let value = 0;
      let shift = 0;
      for (const c of part) {
        const digit = B64.get(c);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = shift = 0;
        }
      }
      generated += values[0];
      if (values.length >= 4) {
        source += values[1];
        line += values[2];
        column += values[3];
        segments.push([generated, source, line, column]);
      } else segments.push([generated, -1, 0, 0]);
    }
    lines.push(segments);
  }
  return lines;
}

/** A source map, loaded, with its sources as absolute paths and a lookup of (line, column). */
function loadMap(file) {
  const mapFile = `${file}.map`;
  if (!existsSync(mapFile)) return undefined;
  const map = JSON.parse(readFileSync(mapFile, 'utf8'));
  const base = resolve(dirname(mapFile), map.sourceRoot ?? '');
  const sources = map.sources.map((s) => resolve(base, s));
  const lines = decode(map.mappings);
  return {
    sources,
    lines,
    /** The source of the segment at or before (line, column), or undefined. */
    find(line, column) {
      const segments = lines[line] ?? [];
      let found;
      for (const seg of segments) {
        if (seg[0] > column) break;
        found = seg;
      }
      return found && found[1] >= 0 ? sources[found[1]] : undefined;
    },
  };
}

const map = loadMap(bundle);
if (!map) throw new Error(`No source map next to ${bundle}: build with rollup.config.mjs (sourcemap: true).`);
const code = readFileSync(bundle, 'utf8');
const inner = new Map(); // dist file -> its own map (or null)
const innerOf = (file) => {
  if (!inner.has(file)) inner.set(file, /[\\/]dist[\\/]/.test(file) && !file.includes('node_modules') ? (loadMap(file) ?? null) : null);
  return inner.get(file);
};

// Each character's owner, as one string of source names per run of characters.
const owners = new Map(); // source -> array of [start, end) ranges in `code`
const give = (source, start, end) => {
  if (end <= start) return;
  const list = owners.get(source) ?? [];
  const last = list.at(-1);
  if (last && last[1] === start) last[1] = end;
  else list.push([start, end]);
  owners.set(source, list);
};
const codeLines = code.split('\n');
let offset = 0;
// A line starts with the owner the previous one ended with: a template literal with line breaks (Lit's
// html``) is one token, mapped where it starts, and its next lines have no segment of their own.
let owner = '(unmapped)';
for (let l = 0; l < codeLines.length; l++) {
  const text = codeLines[l];
  const segments = map.lines[l] ?? [];
  let cursor = 0;
  for (const [column, source, line, col] of segments) {
    give(owner, offset + cursor, offset + column);
    cursor = column;
    const file = source >= 0 ? map.sources[source] : undefined;
    const deeper = file && innerOf(file)?.find(line, col);
    owner = deeper ?? file ?? '(unmapped)';
  }
  give(owner, offset + cursor, offset + text.length + 1);
  offset += text.length + 1;
}

const root = process.cwd();
const label = (file) => {
  if (file.startsWith('(')) return file;
  const rel = relative(root, file).replace(/\\/g, '/');
  return rel.replace(/^.*node_modules\//, '');
};
const group = (name) => {
  if (name.startsWith('(')) return name;
  const pkg = name.match(/^(@[^/]+\/[^/]+|[^/]+)/)?.[1] ?? name;
  if (name.startsWith('packages/')) return name.split('/').slice(0, 3).join('/');
  return pkg;
};

const total = gz(code);
const without = (ranges) => {
  let out = '';
  let at = 0;
  for (const [s, e] of [...ranges].sort((a, b) => a[0] - b[0])) {
    out += code.slice(at, s);
    at = e;
  }
  return out + code.slice(at);
};
const measure = (entries) =>
  entries
    .map(([name, ranges]) => {
      const raw = ranges.reduce((n, [s, e]) => n + e - s, 0);
      return { name, raw, alone: gz(ranges.map(([s, e]) => code.slice(s, e)).join('')), saved: total - gz(without(ranges)) };
    })
    .sort((a, b) => b.saved - a.saved);

const byGroup = new Map();
const byFile = new Map();
for (const [source, ranges] of owners) {
  const name = label(source);
  byFile.set(name, [...(byFile.get(name) ?? []), ...ranges]);
  const g = group(name);
  byGroup.set(g, [...(byGroup.get(g) ?? []), ...ranges]);
}

const kb = (n) => (n / 1024).toFixed(2).padStart(6);
const table = (title, rows) => {
  console.log(`\n${title}\n${'source'.padEnd(64)}   raw KB  alone gz  saved gz`);
  for (const r of rows) console.log(`${r.name.padEnd(64)} ${kb(r.raw)}    ${kb(r.alone)}    ${kb(r.saved)}`);
};
console.log(`${relative(root, bundle)}: ${kb(code.length)} KB, ${kb(total)} KB gzipped`);
table('By package', measure([...byGroup]));
if (perFile) table('By file', measure([...byFile]));
if (args.includes('--unmapped')) {
  const runs = (owners.get('(unmapped)') ?? []).sort((a, b) => b[1] - b[0] - (a[1] - a[0]));
  console.log('\nLongest unmapped runs:');
  for (const [s, e] of runs.slice(0, 15)) console.log(`${e - s} bytes: ${JSON.stringify(code.slice(s, Math.min(e, s + 160)))}`);
}
