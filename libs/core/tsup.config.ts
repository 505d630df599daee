import { defineConfig } from 'tsup';
import { libraryBuildConfig } from '../../tools/build/tsup-preset.ts';

/**
 * The entry points share their chunks, so module state exists once. Each
 * built-in capability contract is an entry of its own: its zod schemas are
 * built when it is imported, never by `import '@switchyard/core'`.
 */
const CAPABILITIES = ['storage', 'messaging', 'issues', 'functions', 'compute', 'repositories'] as const;

export default defineConfig(
  libraryBuildConfig(import.meta.dirname, {
    entry: {
      index: 'src/index.ts',
      internal: 'src/internal.ts',
      capabilities: 'src/capabilities/index.ts',
      ...Object.fromEntries(CAPABILITIES.map((name) => [name, `src/capabilities/${name}.ts`])),
      'testing/index': 'src/testing/index.ts',
    },
    splitting: true,
  }),
);
