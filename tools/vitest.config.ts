import { libraryTestConfig } from './build/vitest-preset.ts';

export default libraryTestConfig(import.meta.dirname, {
  include: ['test/**/*.test.ts', 'scripts/**/*.test.ts'],
  testTimeout: 60_000,
});
