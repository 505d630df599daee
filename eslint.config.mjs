// @ts-check
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

/**
 * Layers, from the design (docs/architecture.md): imports point down only.
 * A provider may import core and util packages; nothing imports a host package.
 */
const depConstraints = [
  { sourceTag: 'type:core', onlyDependOnLibsWithTags: ['type:core'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:core', 'type:util'] },
  { sourceTag: 'type:provider', onlyDependOnLibsWithTags: ['type:core', 'type:util'] },
  { sourceTag: 'type:host', onlyDependOnLibsWithTags: ['type:core', 'type:util', 'type:provider'] },
  { sourceTag: 'type:tools', onlyDependOnLibsWithTags: ['type:core', 'type:util', 'type:provider'] },
];

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
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: true, allow: [], depConstraints },
      ],
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
