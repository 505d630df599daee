/** A stream the CLI writes to: `process.stdout`, or a test's collector. */
export interface CliOutput {
  write(chunk: string): unknown;
}

/** Where {@link runCli} reads its environment and writes its output. */
export interface CliIo {
  /** The directory paths are relative to, and where `.switchyard/switchyard.db` lives. Default `process.cwd()`. */
  readonly cwd: string;
  /** Environment variables (`SWITCHYARD_DATABASE_URL`). Default `process.env`. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Default `process.stdout`. */
  readonly stdout: CliOutput;
  /** Default `process.stderr`. */
  readonly stderr: CliOutput;
  /**
   * Where provider packages are looked for besides `cwd`: the `node_modules`
   * folders above it. Default: the CLI's own directory (so providers
   * installed next to the CLI are found).
   */
  readonly cliDirectory?: string | undefined;
}

/** A usage mistake on the command line (unknown command, missing argument, bad JSON): exit code 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';

  constructor(options: { readonly message: string; readonly cause?: unknown }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** Writes one line. */
export function writeLine(output: CliOutput, line = ''): void {
  output.write(`${line}\n`);
}

/** Writes a value as indented JSON, for `--json`. */
export function writeJson(output: CliOutput, value: unknown): void {
  writeLine(output, JSON.stringify(value, null, 2));
}

/**
 * Writes rows as a table with a header, each column as wide as its widest cell.
 *
 * @example
 * ```ts
 * writeTable(io.stdout, ['ID', 'STATUS'], [['a1', 'active']]);
 * ```
 */
export function writeTable(output: CliOutput, headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const format = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ');
  writeLine(output, format(headers));
  for (const row of rows) writeLine(output, format(row));
}

/** Parses a `--settings` or `--input` value as a JSON object; a usage error names the flag otherwise. */
export function parseJsonObject(flag: string, text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliUsageError({ message: `--${flag} is not valid JSON: ${(error as Error).message}`, cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CliUsageError({ message: `--${flag} must be a JSON object` });
  }
  return value as Record<string, unknown>;
}

/** A duration in ms for tables: `12 ms`, or `-` when unknown. */
export function formatMs(value: number | undefined): string {
  return value === undefined ? '-' : `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}
