import type { ResponseSchema } from '@switchyard/http';

/** Reads a response with `read`, which returns the data or throws a {@link SchemaIssue}. */
export class SchemaIssue extends Error {
  readonly path: readonly string[];

  constructor(path: readonly string[], message: string) {
    super(message);
    this.path = path;
  }
}

/** A {@link ResponseSchema} from a reader function, for `client.request({ responseSchema })`. */
export function responseSchema<T>(read: (value: unknown) => T): ResponseSchema<T> {
  return {
    safeParse(value) {
      try {
        return { success: true, data: read(value) };
      } catch (error) {
        if (!(error instanceof SchemaIssue)) throw error;
        return { success: false, error: { issues: [{ path: error.path, message: error.message }] } };
      }
    },
  };
}

/** `value` as a record, or a schema issue at `path`. */
export function record(value: unknown, path: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SchemaIssue(path, 'expected an object');
  return value as Record<string, unknown>;
}

/** A required string field. */
export function text(value: unknown, path: readonly string[]): string {
  if (typeof value !== 'string') throw new SchemaIssue(path, 'expected a string');
  return value;
}

/** An optional string field (`null` counts as absent). */
export function optionalText(value: unknown, path: readonly string[]): string | undefined {
  return value === undefined || value === null ? undefined : text(value, path);
}

/** An ARM collection page: `{ value: [...], nextLink }`, each item read by `item`. */
export function armPage<T>(item: (value: unknown, path: readonly string[]) => T) {
  return responseSchema((value) => {
    const page = record(value, []);
    if (!Array.isArray(page.value)) throw new SchemaIssue(['value'], 'expected an array');
    return {
      items: page.value.map((entry, index) => item(entry, ['value', String(index)])),
      nextLink: optionalText(page.nextLink, ['nextLink']),
    };
  });
}
