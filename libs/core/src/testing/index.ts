/**
 * Test helpers that need no test runner: `@switchyard/core/testing`.
 * Contract suites (which need vitest) live in `@switchyard/testing`.
 */
export {
  createFakeProvider,
  type FakeProvider,
  type FakeProviderCall,
  type FakeProviderOptions,
} from './fake-provider';
