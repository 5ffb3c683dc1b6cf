// Import rules for every package (`npm run deps`). Each package's own layer rules are in
// packages/<pkg>/.dependency-cruiser.cjs, which extends this file; docs/architecture.md draws
// the layers. Type-only imports count: a cycle of types still ties the files together.
/** @type {import('dependency-cruiser').IConfiguration} */
const shared = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, type-only ones included: split the shared part out into a lower file.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-reach-into-another-package',
      severity: 'error',
      comment: 'Packages meet through their public entry points (@chat/protocol, ...), never through a relative path.',
      from: { path: '^packages/([^/]+)/' },
      to: { path: '^packages/', pathNot: ['^packages/$1/'], dependencyTypesNot: ['aliased-tsconfig'] },
    },
    {
      name: 'no-source-imports-tests',
      severity: 'error',
      comment: 'Shipped code never imports a test file.',
      from: { pathNot: '\\.(test|e2e|integration)\\.tsx?$' },
      to: { path: '\\.(test|e2e|integration)\\.tsx?$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.(test|e2e|integration)\\.tsx?$', '-fixtures\\.tsx?$', '/dist/'] },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};

/**
 * One package's configuration: the shared rules plus its own, cruising only its own files (another
 * package reached through its name, `@chat/protocol`, is a leaf here and is checked in its own run).
 * @param {string} name the folder under packages/
 * @param {import('dependency-cruiser').IForbiddenRuleType[]} rules
 * @returns {import('dependency-cruiser').IConfiguration}
 */
function packageRules(name, rules) {
  return {
    forbidden: [...shared.forbidden, ...rules],
    options: { ...shared.options, doNotFollow: { path: ['node_modules', `^packages/(?!${name}/)`] } },
  };
}

module.exports = { ...shared, packageRules };
