import type { CapabilityName } from '@switchyard/core';

/** "google" and the close misspellings GCS also refuses, e.g. "g00gle". */
const GOOGLE_LIKE = /g[o0]{2}g[l1]e/;

/**
 * Why Cloud Storage would refuse a bucket name the shared contract accepts:
 * it must not start with "goog" nor contain "google" or a close misspelling.
 * See https://cloud.google.com/storage/docs/buckets#naming.
 */
export function gcsBucketProblem(bucket: string): string | undefined {
  if (bucket.startsWith('goog')) return `bucket name "${bucket}" must not start with "goog" (Cloud Storage naming rules)`;
  if (GOOGLE_LIKE.test(bucket))
    return `bucket name "${bucket}" must not contain "google" or a close misspelling (Cloud Storage naming rules)`;
  return undefined;
}

/**
 * Why Cloud Storage would refuse an object name the contract accepts: names
 * starting with ".well-known/acme-challenge/" are reserved.
 */
export function gcsObjectProblem(key: string): string | undefined {
  return key.startsWith('.well-known/acme-challenge/')
    ? `object name "${key}" must not start with ".well-known/acme-challenge/"`
    : undefined;
}

function locations(input: Record<string, unknown>): { bucket?: unknown; key?: unknown }[] {
  return [input, input.source, input.destination].filter(
    (location): location is { bucket?: unknown; key?: unknown } => typeof location === 'object' && location !== null,
  );
}

/**
 * Why Cloud Functions would refuse a function name the contract accepts: it
 * must end with a letter or digit and be at most 63 characters
 * (https://cloud.google.com/functions/docs/reference/rest/v2/projects.locations.functions/create).
 */
export function functionNameProblem(name: string): string | undefined {
  if (!/[A-Za-z0-9]$/.test(name)) return `function name "${name}" must end with a letter or digit (Cloud Functions naming rules)`;
  return undefined;
}

/** The first Google-specific naming problem in a parsed input, checked before any request is sent. */
export function gcsNameProblem(capability: CapabilityName, input: unknown): string | undefined {
  if (capability === 'functions' && typeof input === 'object' && input !== null) {
    const name = (input as { name?: unknown }).name;
    return typeof name === 'string' ? functionNameProblem(name) : undefined;
  }
  if (capability !== 'storage' || typeof input !== 'object' || input === null) return undefined;
  for (const location of locations(input as Record<string, unknown>)) {
    const problem =
      (typeof location.bucket === 'string' ? gcsBucketProblem(location.bucket) : undefined) ??
      (typeof location.key === 'string' ? gcsObjectProblem(location.key) : undefined);
    if (problem !== undefined) return problem;
  }
  const keys = (input as { keys?: unknown }).keys;
  if (Array.isArray(keys)) {
    for (const key of keys) {
      const problem = typeof key === 'string' ? gcsObjectProblem(key) : undefined;
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}
