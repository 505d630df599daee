/**
 * `@switchyard/core/internal`: what Switchyard's own packages share and hosts
 * must not use. No semver promise: it changes with core's minor versions.
 */
export { hubEventBus } from './hub/hub-internals';
export { lazyModule, type LazyModule } from './utils/lazy-module';
