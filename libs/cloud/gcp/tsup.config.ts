import { defineConfig } from 'tsup';
import { libraryBuildConfig } from '../../../tools/build/tsup-preset.ts';

// The main entry stays free of test peers; `./testing` starts the local emulators this provider is tested against.
export default defineConfig(
  libraryBuildConfig(import.meta.dirname, {
    entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
    splitting: true,
  }),
);
