import type { JsonObject, JsonValue } from '../store/store-records';

/** One step of a field path: an object key, or an array index. */
export type PathSegment = string | number;

/**
 * A field path: keys joined by dots, each optionally followed by array
 * indexes (`properties.email`, `emails[0].value`, `matrix[1][2]`). Keys may
 * hold any character but `.`, `[` and `]`.
 */
export const FIELD_PATH_PATTERN = /^[^.[\]]+(?:\[\d+\])*(?:\.[^.[\]]+(?:\[\d+\])*)*$/;

/** Keys a path may not use: writing them would reach an object's prototype. */
export const FORBIDDEN_PATH_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** Splits a path that matches {@link FIELD_PATH_PATTERN} into its segments. */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  for (const part of path.split('.')) {
    const bracket = part.indexOf('[');
    segments.push(bracket === -1 ? part : part.slice(0, bracket));
    if (bracket === -1) continue;
    for (const match of part.slice(bracket).matchAll(/\[(\d+)\]/g)) segments.push(Number(match[1]));
  }
  return segments;
}

/** Whether the path is well formed and uses no {@link FORBIDDEN_PATH_KEYS}. */
export function isFieldPath(path: string): boolean {
  return (
    FIELD_PATH_PATTERN.test(path) && !parsePath(path).some((segment) => typeof segment === 'string' && FORBIDDEN_PATH_KEYS.has(segment))
  );
}

/** The value at `path`, or `undefined` when any step is missing (own properties only). */
export function getPath(source: JsonValue | undefined, path: readonly PathSegment[]): JsonValue | undefined {
  let current: JsonValue | undefined = source;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current) || !Object.hasOwn(current, segment)) return undefined;
      current = current[segment];
    }
  }
  return current;
}

/**
 * Writes `value` at `path`, creating objects (for keys) and arrays (for
 * indexes) on the way. A step that holds something else is replaced; an
 * index past the end of an array pads it with `null`.
 */
export function setPath(target: JsonObject, path: readonly PathSegment[], value: JsonValue): void {
  let current: JsonObject | JsonValue[] = target;
  const last = path.length - 1;
  for (let index = 0; index < last; index += 1) {
    const segment = path[index]!;
    const nextIsIndex = typeof path[index + 1] === 'number';
    const existing: JsonValue | undefined = (current as Record<PathSegment, JsonValue | undefined>)[segment];
    const fits = nextIsIndex ? Array.isArray(existing) : typeof existing === 'object' && existing !== null && !Array.isArray(existing);
    if (fits) {
      current = existing as JsonObject | JsonValue[];
    } else {
      const created: JsonObject | JsonValue[] = nextIsIndex ? [] : {};
      assign(current, segment, created);
      current = created;
    }
  }
  assign(current, path[last]!, value);
}

/** Sets one step; an index past the end of an array pads it with `null`, so it stays valid JSON. */
function assign(container: JsonObject | JsonValue[], segment: PathSegment, value: JsonValue): void {
  if (Array.isArray(container) && typeof segment === 'number') {
    while (container.length < segment) container.push(null);
    container[segment] = value;
  } else {
    (container as Record<PathSegment, JsonValue>)[segment] = value;
  }
}

/** Whether one path is the other, or lies inside it (`a` and `a.b`, `a[0]` and `a[0].b`). */
export function pathsOverlap(left: readonly PathSegment[], right: readonly PathSegment[]): boolean {
  const length = Math.min(left.length, right.length);
  for (let index = 0; index < length; index += 1) if (left[index] !== right[index]) return false;
  return true;
}
