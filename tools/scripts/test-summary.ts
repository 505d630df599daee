/**
 * Sums the JSON test reports every project's vitest run wrote (see
 * tools/build/vitest-preset.ts) into one table and one closing line:
 * `tests: N passed, N failed, N skipped`. Exits 1 if any test failed, any
 * project has no report, or no test ran at all.
 */
import { existsSync, readFileSync } from 'node:fs';
import { testReportPath } from '../build/vitest-preset.ts';
import { listLibraryPackages, readPackageManifest, workspaceRoot } from './lib/workspace.ts';
import { join } from 'node:path';

interface VitestJsonReport {
  readonly numPassedTests: number;
  readonly numFailedTests: number;
  readonly numPendingTests: number;
  readonly numTodoTests: number;
}

const projects = [...listLibraryPackages().map((entry) => entry.manifest.name), readPackageManifest(join(workspaceRoot, 'tools')).name];
const totals = { passed: 0, failed: 0, skipped: 0 };
const missing: string[] = [];

for (const project of projects) {
  const path = testReportPath(project);
  if (!existsSync(path)) {
    missing.push(project);
    continue;
  }
  const report = JSON.parse(readFileSync(path, 'utf8')) as VitestJsonReport;
  const skipped = report.numPendingTests + report.numTodoTests;
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += skipped;
  console.log(
    `${project.padEnd(32)} ${String(report.numPassedTests).padStart(5)} passed ${String(report.numFailedTests).padStart(4)} failed ${String(skipped).padStart(4)} skipped`,
  );
}
for (const project of missing) console.log(`${project.padEnd(32)} no test report (did its tests run?)`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
if (totals.failed > 0 || missing.length > 0 || totals.passed === 0) process.exit(1);
