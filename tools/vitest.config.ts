import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@switchyard/tools',
    root: import.meta.dirname,
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
