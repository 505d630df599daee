import jsonata from 'jsonata';
import type { JsonValue } from '../store/store-records';
import type { DefinitionIssue } from './mapping-errors';
import { compileFastPath, NOT_HANDLED } from './mapping-fast-path';
import { javascriptMessage, javascriptSign } from './mapping-javascript';

/** Bounds on one evaluation, so a pathological expression fails instead of hanging the process. */
export interface ExpressionLimits {
  /** Wall-clock milliseconds one evaluation may take (JSONata error D1012). Default: 1 000. */
  readonly timeoutMs?: number | undefined;
  /** Deepest evaluation stack (JSONata error D1011), which stops runaway recursion. Default: 300. */
  readonly maxDepth?: number | undefined;
  /** Longest sequence an evaluation may build (JSONata error D2015). Default: 100 000. */
  readonly maxSequenceLength?: number | undefined;
}

/** A JSONata expression parsed once, evaluated per record. */
export interface CompiledExpression {
  readonly source: string;
  /** Whether simple inputs skip JSONata's interpreter (see `mapping-fast-path.ts`); the results are the same. */
  readonly fastPath: boolean;
  /**
   * The result as JSON (`undefined` when the expression yields nothing):
   * synchronous when the fast path handled it, a promise when JSONata did.
   * Throws (or rejects with) an `Error` carrying JSONata's message.
   */
  evaluate(value: JsonValue | undefined, record: JsonValue): JsonValue | undefined | Promise<JsonValue | undefined>;
}

/** Where an expression sits in a definition, for error messages. */
export interface ExpressionSite {
  readonly index: number;
  readonly internalField: string;
  readonly role: 'transform' | 'reverse' | 'validate';
}

function jsonataMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string') {
    const code = 'code' in error && typeof error.code === 'string' ? `${error.code} ` : '';
    const position = 'position' in error && typeof error.position === 'number' ? ` (at character ${error.position})` : '';
    return `${code}${error.message}${position}`;
  }
  return String(error);
}

/** A JSONata result as plain JSON: sequences become arrays, functions are refused. */
function toJson(result: unknown): JsonValue | undefined {
  if (result === undefined || result === null || typeof result === 'string' || typeof result === 'boolean') return result;
  if (typeof result === 'number') {
    if (Number.isFinite(result)) return result;
    throw new Error(`the expression yielded ${result}, not a JSON number`);
  }
  if (Array.isArray(result)) {
    const items: JsonValue[] = [];
    for (const item of result) {
      const json = toJson(item);
      if (json !== undefined) items.push(json);
    }
    return items;
  }
  if (typeof result === 'object') {
    const object: Record<string, JsonValue> = {};
    for (const [key, entry] of Object.entries(result)) {
      const json = toJson(entry);
      if (json !== undefined) object[key] = json;
    }
    return object;
  }
  throw new Error(`the expression yielded a ${typeof result}, not a JSON value`);
}

/**
 * Parses a JSONata expression, or returns the issue that stops it: a syntax
 * error, or JavaScript (refused, with the JSONata to write instead). The
 * compiled expression evaluates against `{ value, record }` with `$value`
 * bound too, so `$trim(value)` and `$trim($value)` agree; a `null` value
 * reads as missing, since JSONata's functions pass missing values through
 * but fail on `null`.
 */
export function compileExpression(
  source: string,
  site: ExpressionSite,
  limits: ExpressionLimits = {},
  /** `false` sends every evaluation to JSONata, e.g. to compare the fast path against it. Default: `true`. */
  useFastPath = true,
): { readonly expression: CompiledExpression } | { readonly issue: DefinitionIssue } {
  const where = `${site.role} of field "${site.internalField}"`;
  const path = ['fields', site.index, site.role] as const;
  const sign = javascriptSign(source);
  if (sign !== undefined) return { issue: { path, message: `${where} ${javascriptMessage(source, sign)}` } };
  let parsed: jsonata.Expression;
  try {
    parsed = jsonata(source, {
      timeout: limits.timeoutMs ?? 1_000,
      stack: limits.maxDepth ?? 300,
      sequence: limits.maxSequenceLength ?? 100_000,
    });
  } catch (error) {
    return { issue: { path, message: `${where} is not valid JSONata: ${jsonataMessage(error)}` } };
  }
  const interpreted = async (value: JsonValue | undefined, record: JsonValue): Promise<JsonValue | undefined> => {
    try {
      return toJson(await parsed.evaluate({ value, record }, { value }));
    } catch (error) {
      throw new Error(jsonataMessage(error), { cause: error });
    }
  };
  const fast = useFastPath ? compileFastPath(parsed) : undefined;
  return {
    expression: {
      source,
      fastPath: fast !== undefined,
      evaluate(value, record) {
        const present = value === null ? undefined : value;
        if (fast !== undefined) {
          let result: unknown;
          try {
            result = fast({ value: present, record });
          } catch (error) {
            if (error !== NOT_HANDLED) throw error;
            return interpreted(present, record);
          }
          return toJson(result);
        }
        return interpreted(present, record);
      },
    },
  };
}
