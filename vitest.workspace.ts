/**
 * Every project vitest runs, one entry per folder pattern. Vitest 5 no longer
 * reads this file by itself: the root vitest.config.ts imports it as its
 * `test.projects`, and tools/test/workspace-conventions.test.ts checks that
 * every package under libs/ (and tools/) is matched here.
 */
export default ['libs/*/vitest.config.ts', 'libs/*/*/vitest.config.ts', 'tools/vitest.config.ts'];
