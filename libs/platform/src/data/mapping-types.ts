import type { JsonValue } from '../store/store-records';

/** The types a mapped field can have. */
export const MAPPING_FIELD_TYPES = ['string', 'number', 'integer', 'boolean', 'date-time', 'json', 'array'] as const;

/** One of {@link MAPPING_FIELD_TYPES}. */
export type MappingFieldType = (typeof MAPPING_FIELD_TYPES)[number];

/** Why a value does not convert to a field type (a class, so the hot path allocates nothing when it does). */
export class TypeMismatch {
  /** E.g. `expected an integer, got number 1.5`. */
  readonly message: string;

  constructor(message: string) {
    this.message = message;
  }
}

/** Converts a present (not null) value to a field type: the value in its type, or a {@link TypeMismatch}. */
export type Converter = (value: JsonValue) => JsonValue | TypeMismatch;

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;
const DIGITS = /^-?\d+$/;

function describe(value: JsonValue): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}

function fail(type: string, value: JsonValue): TypeMismatch {
  return new TypeMismatch(`expected ${type}, got ${describe(value)}`);
}

function toNumber(value: JsonValue): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** An ISO 8601 string (offset optional, UTC when absent) or epoch milliseconds, as `toISOString()`. */
function toDateTime(value: JsonValue): string | undefined {
  let milliseconds: number;
  if (typeof value === 'number' || (typeof value === 'string' && DIGITS.test(value))) {
    milliseconds = Number(value);
  } else if (typeof value === 'string') {
    const match = ISO_DATE_TIME.exec(value.trim());
    if (match === null) return undefined;
    const [, year, month, day, hour, minute, second, offset] = match;
    if (Number(month) < 1 || Number(month) > 12 || Number(day) < 1 || Number(day) > daysInMonth(Number(year), Number(month)))
      return undefined;
    if (Number(hour ?? 0) > 23 || Number(minute ?? 0) > 59 || Number(second ?? 0) > 59) return undefined;
    const normalized = value.trim().replace(' ', 'T');
    milliseconds = Date.parse(hour === undefined ? `${normalized}T00:00:00Z` : offset === undefined ? `${normalized}Z` : normalized);
  } else {
    return undefined;
  }
  const date = new Date(milliseconds);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const BOOLEAN_WORDS: ReadonlyMap<string, boolean> = new Map([
  ['true', true],
  ['false', false],
  ['1', true],
  ['0', false],
]);

/**
 * The converter of each type:
 * - `string`: strings as they are; numbers and booleans as `String()` gives them.
 * - `number`: finite numbers, and strings that hold one (`" 4.5 "`).
 * - `integer`: like `number`, but a fraction is refused rather than rounded.
 * - `boolean`: `true`/`false`, `1`/`0`, and the strings `"true"`/`"false"`/`"1"`/`"0"` (any case, trimmed).
 * - `date-time`: ISO 8601 (`2026-12-06`, `2026-12-06T16:18:36.5+01:00`; no offset means UTC) or epoch
 *   milliseconds (a number or a string of digits), as an ISO 8601 UTC string (`toISOString()`); impossible
 *   dates (`2026-02-30`) are refused.
 * - `json`: any value, unchanged.
 * - `array`: arrays unchanged; any other value is wrapped in a one-element array.
 */
export const CONVERTERS: Readonly<Record<MappingFieldType, Converter>> = {
  string: (value) =>
    typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : fail('a string', value),
  number: (value) => toNumber(value) ?? fail('a number', value),
  integer: (value) => {
    const number = toNumber(value);
    return number !== undefined && Number.isInteger(number) ? number : fail('an integer', value);
  },
  boolean: (value) => {
    if (typeof value === 'boolean') return value;
    if (value === 1 || value === 0) return value === 1;
    return (typeof value === 'string' ? BOOLEAN_WORDS.get(value.trim().toLowerCase()) : undefined) ?? fail('a boolean', value);
  },
  'date-time': (value) => toDateTime(value) ?? fail('an ISO 8601 date-time or epoch milliseconds', value),
  json: (value) => value,
  array: (value) => (Array.isArray(value) ? value : [value]),
};
