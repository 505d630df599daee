import { defineConfig } from 'tsup';
import { libraryBuildConfig } from '../../../tools/build/tsup-preset.ts';

// The main entry stays free of test peers; `./testing` starts the wire-protocol fake this provider is tested against
// (its recorded fixtures are imported, so they are bundled into it rather than shipped as files).
export default defineConfig(
  libraryBuildConfig(import.meta.dirname, { entry: { index: 'src/index.ts', 'testing/index': 'src/testing/index.ts' } }),
);
