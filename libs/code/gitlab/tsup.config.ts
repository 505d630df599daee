import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'tsup';
import { libraryBuildConfig } from '../../../tools/build/tsup-preset.ts';

// The main entry stays free of test peers; `./testing` starts the wire-protocol fake this provider is tested against.
// The fake reads its seed data from `../__fixtures__` next to the bundle, so the fixtures are copied to `<outDir>/__fixtures__`.
export default defineConfig(
  libraryBuildConfig(import.meta.dirname, {
    entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' },
    esbuildPlugins: [
      {
        name: 'copy-fake-fixtures',
        setup(build) {
          build.onEnd(() => {
            const outDir = build.initialOptions.outdir ?? 'dist';
            cpSync(join(import.meta.dirname, 'src', '__fixtures__'), join(outDir, '__fixtures__'), { recursive: true });
          });
        },
      },
    ],
  }),
);
