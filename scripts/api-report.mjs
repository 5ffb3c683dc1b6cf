#!/usr/bin/env node
// Public API reports: one `.api.md` per entry point of each package, written by API Extractor
// from the built declarations (`dist/*.d.ts`) into `packages/<pkg>/etc/`, and checked in. A
// change to the public surface shows up in review as a change to these files.
//
// Usage (after `npm run build`):
//   node scripts/api-report.mjs           check: fails when a report differs from the surface
//   node scripts/api-report.mjs --update  rewrite the reports from the surface
//   node scripts/api-report.mjs server    only the packages named (protocol, server, client, widget, react)
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';

const root = fileURLToPath(new URL('..', import.meta.url));
const update = process.argv.includes('--update');
const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));

/** Each package's entry points, by the declaration file tsup writes for it. */
const allEntries = [
  ['protocol', ['index']],
  ['server', ['index', 'postgres', 'redis', 'testing']],
  ['client', ['index', 'indexeddb']],
  ['widget', ['index']],
  ['react', ['index']],
];
const entries = allEntries.filter(([pkg]) => only.length === 0 || only.includes(pkg));

// Messages that describe how the declarations are written, not what they expose: no release
// tags (every export is public), names reached only through another export. They would make the
// report noisy without saying anything about a change to the surface.
const quiet = { logLevel: 'none', addToApiReportFile: false };

let failed = 0;
for (const [pkg, names] of entries) {
  const folder = join(root, 'packages', pkg);
  const packageJsonFullPath = join(folder, 'package.json');
  const packageJson = JSON.parse(readFileSync(packageJsonFullPath, 'utf8'));
  mkdirSync(join(folder, 'etc'), { recursive: true });
  for (const name of names) {
    const entry = join(folder, 'dist', `${name}.d.ts`);
    if (!existsSync(entry)) {
      console.error(`api-report: ${entry} is missing; run \`npm run build\` first`);
      process.exit(1);
    }
    const config = ExtractorConfig.prepare({
      configObject: {
        projectFolder: folder,
        mainEntryPointFilePath: entry,
        compiler: {
          overrideTsconfig: {
            compilerOptions: {
              target: 'ES2022',
              module: 'ESNext',
              moduleResolution: 'Bundler',
              lib: ['ES2022', 'DOM'],
              strict: true,
              skipLibCheck: true,
              types: ['node'],
            },
            files: [entry],
          },
        },
        apiReport: {
          enabled: true,
          reportFileName: name === 'index' ? `${pkg}.api.md` : `${pkg}-${name}.api.md`,
          reportFolder: join(folder, 'etc'),
          reportTempFolder: join(root, 'node_modules', '.cache', 'api-report', pkg),
        },
        docModel: { enabled: false },
        dtsRollup: { enabled: false },
        tsdocMetadata: { enabled: false },
        messages: {
          compilerMessageReporting: { default: { logLevel: 'warning' } },
          extractorMessageReporting: {
            default: { logLevel: 'warning', addToApiReportFile: true },
            'ae-missing-release-tag': quiet,
            'ae-forgotten-export': quiet,
            'ae-internal-missing-underscore': quiet,
            // Its text names a line of a hashed dist chunk, which changes with every move of code.
            'ae-undocumented': quiet,
          },
          tsdocMessageReporting: { default: { logLevel: 'none' } },
        },
      },
      configObjectFullPath: join(folder, 'api-extractor.json'),
      packageJson,
      packageJsonFullPath,
    });
    const result = Extractor.invoke(config, { localBuild: update, showVerboseMessages: false });
    if (!result.succeeded) {
      failed++;
      const report = config.reportConfigs[0]?.fileName ?? name;
      console.error(
        result.apiReportChanged
          ? `api-report: the public API of ${packageJson.name} (${name}) changed; if that is meant, run \`node scripts/api-report.mjs --update\` and commit packages/${pkg}/etc/${report}`
          : `api-report: ${packageJson.name} (${name}): ${result.errorCount} error(s), ${result.warningCount} warning(s)`,
      );
    }
  }
}
if (failed > 0) process.exit(1);
console.log(`api-report: ${update ? 'written' : 'unchanged'} for ${entries.length} packages`);
