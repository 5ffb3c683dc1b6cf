// The examples as a user runs them on their own: examples/ copied out of the repository, the
// tarballs its README names installed, and its own package.json, tsconfig and scripts. Used by
// test/pack/packages.test.ts, which installs every example's dependencies once into its app.
import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

/** An example's package.json, as far as these checks need it. */
export interface ExampleManifest {
  name: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** An example folder with a package.json: something a user installs and runs on its own. */
export interface Example {
  dir: string;
  manifest: ExampleManifest;
  readme: string;
}

/** The examples of `examplesDir` that have a package.json (the others are pages one of them serves). */
export function examplesIn(examplesDir: string): Example[] {
  return readdirSync(examplesDir)
    .filter((name) => existsSync(join(examplesDir, name, 'package.json')))
    .map((name) => {
      const dir = join(examplesDir, name);
      const readme = join(dir, 'README.md');
      return {
        dir,
        manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as ExampleManifest,
        readme: existsSync(readme) ? readFileSync(readme, 'utf8') : '',
      };
    });
}

/** Copies examples/ as a fresh clone has it: without what installs, builds and runs leave in it. */
export function copyExamples(from: string, to: string): void {
  cpSync(from, to, { recursive: true, filter: (source) => !['node_modules', 'dist', 'uploads'].includes(basename(source)) });
}

/** The tarball file names the `npm install` of a README's "Run it on its own" section installs. */
export function readmeTarballs(readme: string): string[] {
  const section = /^## Run it on its own$([\s\S]*?)(?=^## |$(?![\s\S]))/mu.exec(readme)?.[1] ?? '';
  const install = section
    .replace(/\\\n/gu, ' ')
    .split('\n')
    .find((line) => /^\s*npm install .*\.tgz/u.test(line));
  return [...(install ?? '').matchAll(/[\w.-]+\.tgz/gu)].map((match) => match[0]).sort();
}

/**
 * The @chat packages an install needs for an example: those its package.json names and, through
 * the packed manifests, theirs (npm finds them only among the tarballs of the same command).
 */
export function neededPackages(example: ExampleManifest, packed: ReadonlyMap<string, ExampleManifest>): string[] {
  const needed = new Set<string>();
  const visit = (name: string) => {
    if (needed.has(name)) return;
    needed.add(name);
    for (const dependency of Object.keys(packed.get(name)?.dependencies ?? {})) if (dependency.startsWith('@chat/')) visit(dependency);
  };
  for (const name of Object.keys(example.dependencies ?? {})) if (name.startsWith('@chat/')) visit(name);
  return [...needed].sort();
}

/** Whether `version` (x.y.z) is in `range`: an exact version or a caret range, the only kinds the examples use. */
function satisfies(version: string, range: string): boolean {
  const parse = (text: string) => text.split('.').map(Number);
  const match = /^(\^?)(\d+\.\d+\.\d+)$/u.exec(range);
  if (!match?.[2]) throw new Error(`The examples use exact versions and ^ ranges only, not "${range}"`);
  if (!match[1]) return version === match[2];
  const [major = 0, minor = 0, patch = 0] = parse(version);
  const [wantMajor = 0, wantMinor = 0, wantPatch = 0] = parse(match[2]);
  if (major !== wantMajor) return false;
  if (major === 0 && minor !== wantMinor) return false;
  return minor > wantMinor || (minor === wantMinor && patch >= wantPatch);
}

/**
 * Adds what the examples' package.json files ask for (other than the @chat tarballs) to the app's
 * dependencies, at the version the repository installed (`installed`) so that the install needs
 * no registry: that version, like one the app pins already, must be in the example's range, and
 * two examples must ask for the same range of a package, so that one install serves them all.
 */
export function addExampleDependencies(
  examples: readonly Example[],
  app: { dependencies: Record<string, string>; devDependencies: Record<string, string> },
  installed: (name: string) => string,
): void {
  const asked = new Map<string, { range: string; by: string }>();
  for (const { manifest } of examples) {
    for (const [name, range] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
      if (name.startsWith('@chat/')) continue;
      const earlier = asked.get(name);
      if (earlier && earlier.range !== range)
        throw new Error(`${manifest.name} asks for ${name}@${range}, ${earlier.by} for ${earlier.range}: use one range`);
      asked.set(name, { range, by: manifest.name });
      const pinned = app.dependencies[name] ?? app.devDependencies[name] ?? (app.devDependencies[name] = installed(name));
      if (!satisfies(pinned, range)) throw new Error(`${manifest.name} asks for ${name}@${range}, the repository has ${pinned}`);
    }
  }
}

/** Joins the lobby of the meeting bot's server at argv[2], mentions the bot, and prints its answer. */
export const ASK_MEETING_BOT_MJS = `import { ChatClient } from '@chat/client';

const client = new ChatClient({ url: process.argv[2], auth: { name: 'Ana' } });
const room = await client.join('lobby');
const bot = room.members.find((member) => member.bot);
if (!bot) throw new Error(\`No bot in the lobby: \${room.members.map((m) => m.name).join(', ')}\`);
const answered = new Promise((resolve) => room.on('message', (m) => m.user.id === bot.id && resolve(m)));
await room.send({ text: \`@\${bot.name} what can you do?\`, mentions: [bot.id] });
const answer = await answered;
console.log(JSON.stringify({ bot: bot.name, answered: answer.text.length > 0 }));
client.close();
`;

/** Says \`!ping\` in the lobby of the server at argv[2] and prints who answered what. */
export const PING_BOT_MJS = `import { ChatClient } from '@chat/client';

const client = new ChatClient({ url: process.argv[2], auth: { name: 'Ana' } });
const room = await client.join('lobby');
const answered = new Promise((resolve) => room.on('message', (m) => m.user.id !== room.self?.id && resolve(m)));
await room.send('!ping');
const answer = await answered;
console.log(JSON.stringify({ from: answer.user.name, text: answer.text }));
client.close();
`;
