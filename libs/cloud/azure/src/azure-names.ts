/**
 * Azure container names: 3–63 lowercase letters, digits and single hyphens,
 * starting and ending with a letter or digit. Stricter than the contract's
 * bucket names (no dots, no `--`).
 */
const CONTAINER_NAME = /^[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;

/**
 * Why Azure would refuse `bucket` as a container name the contract accepts,
 * or undefined when it takes it.
 * See https://learn.microsoft.com/rest/api/storageservices/naming-and-referencing-containers--blobs--and-metadata.
 */
export function containerNameProblem(bucket: string): string | undefined {
  if (bucket.length >= 3 && bucket.length <= 63 && CONTAINER_NAME.test(bucket)) return undefined;
  return `container name "${bucket}" is invalid: use 3–63 lowercase letters, digits and single hyphens (no dots, no "--"), starting and ending with a letter or digit`;
}

/** The first container name in parsed storage input (`bucket`, `source.bucket`, `destination.bucket`) Azure would refuse. */
export function storageInputProblem(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const { bucket, source, destination } = input as { bucket?: unknown; source?: unknown; destination?: unknown };
  const buckets = [bucket, (source as { bucket?: unknown } | undefined)?.bucket, (destination as { bucket?: unknown } | undefined)?.bucket];
  for (const name of buckets) {
    const problem = typeof name === 'string' ? containerNameProblem(name) : undefined;
    if (problem !== undefined) return problem;
  }
  return undefined;
}
