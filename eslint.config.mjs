// @ts-check
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * Layers, from the design (docs/architecture.md, "Packages"): imports point down only.
 * - core: capabilities, the provider spec, the hub and router. Imports nothing of ours.
 * - util: the provider kit (`@switchyard/http`).
 * - platform: the store, vault, integrations and webhook receiver (`@switchyard/platform`), and the stores on it.
 * - testing: the contract and fault suites; they run stores and providers, so they see the platform.
 * - provider: core and the kit only; a provider never needs the platform to run.
 * - surface: what agents and services reach a hub through (`@switchyard/mcp`, `@switchyard/amqp`, `@switchyard/server`);
 *   libraries on core and the platform that a host composes.
 * - host: the CLI puts it all together; nothing imports a host.
 */
const depConstraints = [
  { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:core'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:core', 'type:util'] },
  { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:core', 'type:util', 'type:platform'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:core', 'type:util', 'type:platform', 'type:testing'] },
  { sourceTag: 'type:provider', onlyDependOnLibsWithTags: ['type:core', 'type:util'] },
  { sourceTag: 'type:surface', onlyDependOnLibsWithTags: ['type:core', 'type:util', 'type:platform'] },
  { sourceTag: 'type:host', onlyDependOnLibsWithTags: ['type:core', 'type:util', 'type:platform', 'type:provider', 'type:surface'] },
  {
    sourceTag: 'type:tools',
    onlyDependOnLibsWithTags: ['type:core', 'type:util', 'type:platform', 'type:testing', 'type:provider', 'type:surface'],
  },
];

/**
 * Tests, and a package's `./testing` entry (its local peer, for its users' tests), may also use the test kit
 * and run providers against the platform (a store, the webhook receiver); a surface's tests run real providers
 * behind it (the server's webhook ingress verifies GitHub- and Slack-signed deliveries).
 */
const testDepConstraints = depConstraints.map((constraint) =>
  constraint.sourceTag === 'type:core' || constraint.sourceTag === 'type:tools'
    ? constraint
    : {
        ...constraint,
        onlyDependOnLibsWithTags: [
          ...new Set([
            ...constraint.onlyDependOnLibsWithTags,
            'type:platform',
            'type:testing',
            ...(constraint.sourceTag === 'type:surface' ? ['type:provider'] : []),
          ]),
        ],
      },
);

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/.nx/**', '**/tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: true, allow: [], depConstraints }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='eval']", message: 'Never eval stored strings; use JSONata.' },
        { selector: "NewExpression[callee.name='Function']", message: 'Never build functions from strings.' },
      ],
    },
  },
  {
    // One concept per file (STYLE.md): a source file past 400 lines, or a test file past 1,000, wants splitting.
    // No import cycles inside a package: a cycle means two files are one concept, or one holds what belongs lower.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: ['**/*.test.ts', '**/__peers__/**/*.ts', '**/__fixtures__/**/*.ts', 'libs/**/src/testing/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 1000, skipBlankLines: true, skipComments: true }],
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: true, allow: [], depConstraints: testDepConstraints }],
    },
  },
  {
    // Build and test configuration is workspace tooling, not package code: it may
    // import the shared presets in tools/build by relative path.
    files: ['**/tsup.config.ts', '**/vitest.config.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
