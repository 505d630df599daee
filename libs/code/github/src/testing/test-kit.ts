import { createRequire } from 'node:module';
import type * as TestKit from '@switchyard/testing';

/**
 * `@switchyard/testing`, loaded on first use. It is an optional peer
 * dependency, so importing `@switchyard/github/testing` works without it; starting
 * the fake fails with what to install instead of a bare ERR_MODULE_NOT_FOUND.
 * (Resolved from this package's own location, as its consumers install it.)
 */
export async function loadTestKit(): Promise<typeof TestKit> {
  try {
    createRequire(import.meta.url).resolve('@switchyard/testing');
  } catch (error) {
    throw new Error(
      '@switchyard/github/testing needs its optional peer dependency @switchyard/testing: npm install --save-dev @switchyard/testing',
      { cause: error },
    );
  }
  return import('@switchyard/testing');
}
