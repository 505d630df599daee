/**
 * Measures async call variants the same way in one process: warm-up, then
 * rounds in which every variant runs the same number of sequential calls,
 * interleaved so drift hits them all alike. Reports the median ns per call.
 */
export interface Variant {
  readonly name: string;
  readonly call: () => Promise<unknown>;
}

export interface Measurement {
  readonly name: string;
  /** Median over rounds of the mean ns per call within a round. */
  readonly nsPerCall: number;
  /** Every round's ns per call, for the JSON output. */
  readonly rounds: readonly number[];
}

export interface MeasureOptions {
  readonly callsPerRound: number;
  readonly rounds: number;
  readonly warmupCalls: number;
}

async function run(variant: Variant, calls: number): Promise<number> {
  const startedAt = process.hrtime.bigint();
  for (let index = 0; index < calls; index += 1) await variant.call();
  return Number(process.hrtime.bigint() - startedAt) / calls;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export async function measure(variants: readonly Variant[], options: MeasureOptions): Promise<Measurement[]> {
  for (const variant of variants) await run(variant, options.warmupCalls);
  const rounds = variants.map(() => [] as number[]);
  for (let round = 0; round < options.rounds; round += 1) {
    for (const [index, variant] of variants.entries()) rounds[index]!.push(await run(variant, options.callsPerRound));
  }
  return variants.map((variant, index) => ({ name: variant.name, nsPerCall: median(rounds[index]!), rounds: rounds[index]! }));
}

/** Prints rows as an aligned table. */
export function printTable(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ');
  console.log(line(headers));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}
