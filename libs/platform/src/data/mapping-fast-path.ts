/**
 * A synchronous evaluator for the common, simple JSONata expressions of
 * mappings (`$lowercase($trim(value))`, `$join([record.a, record.b], " ")`,
 * `value >= 0 and value < 150`), so the hot path does not pay for JSONata's
 * asynchronous interpreter on every record. It reads JSONata's own syntax
 * tree and covers a small subset: paths of plain names from `value` or
 * `record`, `$value`, literals, array constructors, arithmetic, comparison,
 * `&`, `and`/`or`, and a few string and number functions. Whenever a value is outside
 * what it mirrors exactly (an array on a path, a number where a string is
 * expected, anything that would be a JSONata error), it gives up with
 * {@link NOT_HANDLED} and the caller evaluates the expression with JSONata
 * itself, so results and errors are always JSONata's.
 */
import type jsonata from 'jsonata';

/** Thrown by a fast evaluator when JSONata must decide; a control signal, never seen outside this module's callers. */
export class NotHandled extends Error {
  override readonly name = 'NotHandled';
}

/** The one {@link NotHandled} instance: giving up is common on some inputs, so no stack is captured each time. */
export const NOT_HANDLED = new NotHandled('left to JSONata');

/** What an expression sees: the field's value and the whole source record. */
export interface ExpressionInput {
  readonly value: unknown;
  readonly record: unknown;
}

/** Evaluates one compiled subset expression, or throws {@link NOT_HANDLED}. */
export type FastEvaluator = (input: ExpressionInput) => unknown;

/** A node of JSONata's syntax tree, read loosely: `jsonata.ExprNode` lists fewer types than the parser makes (`path`). */
interface Node {
  readonly type: string;
  readonly value?: unknown;
  readonly [key: string]: unknown;
}

function giveUp(): never {
  throw NOT_HANDLED;
}

/** Whether the node has only the given keys set (position and type aside), so no predicate, stage or binding hides in it. */
function only(node: Node, keys: readonly string[]): boolean {
  return Object.entries(node).every(([key, value]) => value === undefined || key === 'type' || key === 'position' || keys.includes(key));
}

const HAS_SURROGATES = /[\uD800-\uDFFF]/;
const DECIMAL = /^-?\d+(?:\.\d+)?(?:[Ee][-+]?\d+)?$/;

function string(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : giveUp();
}

function plainString(value: unknown): string | undefined {
  const text = string(value);
  return text !== undefined && HAS_SURROGATES.test(text) ? giveUp() : text;
}

function integer(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) ? value : giveUp();
}

/** JSONata's `$string` for the values it renders the same as JavaScript; `&` uses it. */
function concatenable(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || value === null) return String(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && Math.abs(value) < 1e15) return String(value);
  return giveUp();
}

/** JSONata's boolean cast, for the values where it is plain. */
function truthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return value !== 0;
  return giveUp();
}

function numeric(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : giveUp();
}

/** The supported functions: name → [arities, implementation], each as JSONata defines it. */
const FUNCTIONS: ReadonlyMap<string, readonly [readonly number[], (...args: unknown[]) => unknown]> = new Map([
  [
    'trim',
    [
      [1],
      (value: unknown) =>
        string(value)
          ?.replace(/[ \t\n\r]+/gm, ' ')
          .replace(/^ /, '')
          .replace(/ $/, ''),
    ],
  ],
  ['lowercase', [[1], (value: unknown) => string(value)?.toLowerCase()]],
  ['uppercase', [[1], (value: unknown) => string(value)?.toUpperCase()]],
  ['length', [[1], (value: unknown) => plainString(value)?.length]],
  ['exists', [[1], (value: unknown) => value !== undefined]],
  ['string', [[1], (value: unknown) => string(value)]],
  [
    'number',
    [
      [1],
      (value: unknown) => {
        if (value === undefined || typeof value === 'number') return numeric(value);
        return typeof value === 'string' && DECIMAL.test(value) && Number.isFinite(Number(value)) ? Number(value) : giveUp();
      },
    ],
  ],
  [
    'round',
    [
      [1],
      (value: unknown) => {
        const number = numeric(value);
        if (number === undefined) return undefined;
        // Half to even, as JSONata rounds.
        let result = Math.round(number);
        if (Math.abs(result - number) === 0.5 && Math.abs(result % 2) === 1) result -= 1;
        return Object.is(result, -0) ? 0 : result;
      },
    ],
  ],
  [
    'contains',
    [
      [2],
      (value: unknown, token: unknown) => {
        const text = string(value);
        return text === undefined ? undefined : text.includes(typeof token === 'string' ? token : giveUp());
      },
    ],
  ],
  [
    'substring',
    [
      [2, 3],
      (value: unknown, start: unknown, length?: unknown) => {
        const text = plainString(value);
        if (text === undefined) return undefined;
        let from = integer(start);
        if (text.length + from < 0) from = 0;
        if (length === undefined) return text.slice(from);
        const count = integer(length);
        if (count <= 0) return '';
        return text.slice(from, from >= 0 ? from + count : text.length + from + count);
      },
    ],
  ],
  [
    'join',
    [
      [1, 2],
      (items: unknown, separator?: unknown) => {
        if (items === undefined) return undefined;
        const list =
          typeof items === 'string' ? [items] : Array.isArray(items) && items.every((item) => typeof item === 'string') ? items : giveUp();
        return list.join(separator === undefined ? '' : typeof separator === 'string' ? separator : giveUp());
      },
    ],
  ],
]);

const BINARY: ReadonlyMap<string, (left: unknown, right: unknown) => unknown> = new Map<string, (left: unknown, right: unknown) => unknown>(
  [
    ['&', (left, right) => concatenable(left) + concatenable(right)],
    ['=', (left, right) => (left === undefined || right === undefined ? false : primitive(left) === primitive(right))],
    ['!=', (left, right) => (left === undefined || right === undefined ? false : primitive(left) !== primitive(right))],
    ...(['+', '-', '*', '/', '%'] as const).map(
      (operator) => [operator, (left: unknown, right: unknown) => arithmetic(operator, numeric(left), numeric(right))] as const,
    ),
    ...(['<', '<=', '>', '>='] as const).map(
      (operator) => [operator, (left: unknown, right: unknown) => compare(operator, left, right)] as const,
    ),
  ],
);

function primitive(value: unknown): unknown {
  return typeof value === 'object' && value !== null ? giveUp() : value;
}

function arithmetic(operator: '+' | '-' | '*' | '/' | '%', left: number | undefined, right: number | undefined): number | undefined {
  if (left === undefined || right === undefined) return undefined;
  if (operator === '+') return left + right;
  if (operator === '-') return left - right;
  if (operator === '*') return left * right;
  return operator === '/' ? left / right : left % right;
}

function compare(operator: '<' | '<=' | '>' | '>=', left: unknown, right: unknown): boolean | undefined {
  const comparable = (value: unknown) => value === undefined || typeof value === 'string' || typeof value === 'number';
  if (!comparable(left) || !comparable(right)) giveUp();
  if (left === undefined || right === undefined) return undefined;
  if (typeof left !== typeof right) giveUp();
  return operator === '<' ? left < right : operator === '<=' ? left <= right : operator === '>' ? left > right : left >= right;
}

/** One name step: an own property of a plain object; arrays are JSONata's to map over. */
function step(value: unknown, name: string): unknown {
  if (Array.isArray(value)) giveUp();
  const result =
    typeof value === 'object' && value !== null && Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;
  return Array.isArray(result) ? giveUp() : result;
}

/** Compiles a node of the subset, or returns `undefined` when the expression is outside it. */
function compileNode(node: Node): FastEvaluator | undefined {
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value': {
      if (!only(node, ['value'])) return undefined;
      const constant = node.value;
      return () => constant;
    }
    case 'variable':
      return node.value === 'value' && only(node, ['value']) ? (input) => (Array.isArray(input.value) ? giveUp() : input.value) : undefined;
    case 'path': {
      const steps = (node.steps ?? []) as Node[];
      if (!only(node, ['steps']) || steps.length === 0 || !steps.every((part) => part.type === 'name' && only(part, ['value'])))
        return undefined;
      const [first, ...rest] = steps.map((part) => String(part.value));
      if (first !== 'value' && first !== 'record') return undefined;
      return (input) => rest.reduce<unknown>((current, name) => step(current, name), step(input, first));
    }
    case 'unary':
      return compileUnary(node);
    case 'binary':
      return compileBinary(node);
    case 'function':
      return compileCall(node);
    default:
      return undefined;
  }
}

function compileUnary(node: Node): FastEvaluator | undefined {
  if (node.value === '-' && only(node, ['value', 'expression'])) {
    const operand = compileNode(node.expression as Node);
    return (
      operand &&
      ((input) => {
        const number = numeric(operand(input));
        return number === undefined ? undefined : -number;
      })
    );
  }
  if (node.value !== '[' || !only(node, ['value', 'expressions'])) return undefined;
  const items = ((node.expressions ?? []) as Node[]).map(compileNode);
  if (!items.every((item) => item !== undefined)) return undefined;
  return (input) => {
    const values: unknown[] = [];
    for (const item of items) {
      const value = item(input);
      if (Array.isArray(value)) giveUp();
      if (value !== undefined) values.push(value);
    }
    return values;
  };
}

function compileBinary(node: Node): FastEvaluator | undefined {
  if (!only(node, ['value', 'lhs', 'rhs'])) return undefined;
  const left = compileNode(node.lhs as Node);
  const right = compileNode(node.rhs as Node);
  if (left === undefined || right === undefined) return undefined;
  if (node.value === 'and') return (input) => truthy(left(input)) && truthy(right(input));
  if (node.value === 'or') return (input) => truthy(left(input)) || truthy(right(input));
  const operator = BINARY.get(String(node.value));
  return operator && ((input) => operator(left(input), right(input)));
}

function compileCall(node: Node): FastEvaluator | undefined {
  const procedure = node.procedure as Node | undefined;
  if (
    node.value !== '(' ||
    !only(node, ['value', 'procedure', 'arguments']) ||
    procedure?.type !== 'variable' ||
    !only(procedure, ['value'])
  )
    return undefined;
  const entry = FUNCTIONS.get(String(procedure.value));
  const parameters = ((node.arguments ?? []) as Node[]).map(compileNode);
  if (entry === undefined || !entry[0].includes(parameters.length) || !parameters.every((parameter) => parameter !== undefined))
    return undefined;
  const implementation = entry[1];
  return (input) => implementation(...parameters.map((parameter) => parameter(input)));
}

/**
 * A fast evaluator for the expression, or `undefined` when it is outside the
 * subset (it then always runs in JSONata).
 */
export function compileFastPath(expression: jsonata.Expression): FastEvaluator | undefined {
  return compileNode(expression.ast() as unknown as Node);
}
