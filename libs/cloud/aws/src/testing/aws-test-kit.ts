import { createRequire } from 'node:module';
import type * as TestKit from '@switchyard/testing';

/**
 * `@switchyard/testing`, loaded on first use. It is an optional peer
 * dependency, so importing `@switchyard/aws/testing` works without it; the
 * helpers that need it fail with what to install instead of a bare
 * ERR_MODULE_NOT_FOUND.
 */
export async function loadTestKit(): Promise<typeof TestKit> {
  try {
    createRequire(import.meta.url).resolve('@switchyard/testing');
  } catch (error) {
    throw new Error(
      '@switchyard/aws/testing needs its optional peer dependency @switchyard/testing: npm install --save-dev @switchyard/testing',
      { cause: error },
    );
  }
  return import('@switchyard/testing');
}
