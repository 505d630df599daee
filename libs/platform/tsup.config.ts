import { defineConfig } from 'tsup';
import { libraryBuildConfig } from '../../tools/build/tsup-preset.ts';

// The store kit is a second entry point; the two share their chunks.
export default defineConfig(
  libraryBuildConfig(import.meta.dirname, {
    entry: { index: 'src/index.ts', 'store-kit': 'src/store-kit.ts' },
    splitting: true,
  }),
);
