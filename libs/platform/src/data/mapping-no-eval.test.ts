import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every source file under src/data, tests included. */
function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(directory, entry.name)) : entry.name.endsWith('.ts') ? [join(directory, entry.name)] : [],
  );
}

describe('the data plane executes no stored code', () => {
  it('has no eval call and no Function constructor in any file under src/data', () => {
    const files = sourceFiles(import.meta.dirname);
    expect(files.length).toBeGreaterThan(5);
    // Written with escapes, so this file's own text does not match them.
    const forbidden = [/\beval\s*\(/, /\bnew\s+Function\b/];
    const offenders = files.flatMap((file) =>
      forbidden
        .filter((pattern) => pattern.test(readFileSync(file, 'utf8')))
        .map((pattern) => `${relative(import.meta.dirname, file)}: ${pattern.source}`),
    );
    expect(offenders).toEqual([]);
  });
});
