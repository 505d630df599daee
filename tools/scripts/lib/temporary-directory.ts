import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A new empty folder under the system's temporary folder, named `<prefix>-XXXXXX`. */
export function makeTemporaryDirectory(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `${prefix}-`));
}

/**
 * Deletes a folder a check made, retrying while something still holds it. It
 * never throws: a clean-up that fails only warns, so it cannot hide the error
 * that made the check fail (nor fail a check that passed).
 */
export function removeTemporaryDirectory(directory: string): void {
  try {
    rmSync(directory, { force: true, recursive: true, maxRetries: 5 });
  } catch (error) {
    console.warn(`warning: could not remove ${directory}: ${(error as Error).message}`);
  }
}
