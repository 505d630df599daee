import { defineConfig } from 'tsup';
import { libraryBuildConfig } from '../../tools/build/tsup-preset.ts';

// Two entry points share their chunks, so module state (such as registered secrets) exists once.
export default defineConfig(
  libraryBuildConfig(import.meta.dirname, {
    entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
    splitting: true,
  }),
);
