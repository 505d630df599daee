import { loadOptionalPeer } from '@switchyard/core';
import type * as TestKit from '@switchyard/testing';

/**
 * `@switchyard/testing`, loaded on first use. It is an optional peer
 * dependency, so importing `@switchyard/gitlab/testing` works without it; the
 * helpers that need it fail with what to install instead.
 */
export function loadTestKit(): Promise<typeof TestKit> {
  return loadOptionalPeer({
    name: '@switchyard/testing',
    requiredBy: '@switchyard/gitlab/testing',
    from: import.meta.url,
    load: () => import('@switchyard/testing'),
  });
}
