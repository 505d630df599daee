import { defineConfig } from 'tsup';
import { libraryBuildConfig } from '../../tools/build/tsup-preset.ts';

// Two entry points: the programmatic API and the `switchyard` bin (src/cli.ts keeps its shebang).
export default defineConfig(
  libraryBuildConfig(import.meta.dirname, {
    entry: { index: 'src/index.ts', cli: 'src/cli.ts' },
    splitting: true,
  }),
);
