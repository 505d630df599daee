/**
 * Where a stream's sync stands, as its checkpoint cursor holds it (JSON). The
 * store writes it in the same transaction as the records it covers, so after
 * a crash the next run starts exactly where the stored records end.
 */
export interface SyncPosition {
  /** The full pass in progress, whose records are marked seen; absent between runs and in incremental runs. */
  readonly pass?: string | undefined;
  /** The source cursor of the next page to read in the run in progress; absent at the start of a run. */
  readonly page?: string | undefined;
  /** Set once the pass has read its last page: what is left is deleting the records it did not see. */
  readonly ending?: boolean | undefined;
  /** The high-water mark of the last finished run (incremental streams read what changed since). */
  readonly since?: string | undefined;
  /** The largest change time seen by the run in progress. */
  readonly high?: string | undefined;
  /** Incremental runs since the last full one. */
  readonly runs?: number | undefined;
}

/** The position a checkpoint cursor holds; an unreadable or foreign cursor counts as none (the stream starts over). */
export function readPosition(cursor: string | undefined): SyncPosition {
  if (cursor === undefined) return {};
  try {
    const parsed: unknown = JSON.parse(cursor);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
    const position = parsed as Record<string, unknown>;
    const text = (name: string) => (typeof position[name] === 'string' ? position[name] : undefined);
    return {
      pass: text('pass'),
      page: text('page'),
      ending: position['ending'] === true ? true : undefined,
      since: text('since'),
      high: text('high'),
      runs: typeof position['runs'] === 'number' ? position['runs'] : undefined,
    };
  } catch {
    return {};
  }
}

/** The checkpoint cursor of a position (fields left undefined are dropped). */
export function writePosition(position: SyncPosition): string {
  return JSON.stringify(position);
}

/** The later of two ISO 8601 timestamps (by instant); either may be missing. */
export function laterTime(left: string | undefined, right: string | undefined): string | undefined {
  if (left === undefined) return right;
  if (right === undefined) return left;
  return Date.parse(right) > Date.parse(left) ? right : left;
}
