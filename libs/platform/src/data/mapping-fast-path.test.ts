import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../store/store-records';
import { compileExpression, type CompiledExpression } from './mapping-expressions';

const SUBSET = [
  '$trim(value)',
  '$lowercase($trim(value))',
  '$uppercase($value)',
  '$join([record.a, record.b], " ")',
  '$join(value, ",")',
  '$substring(value, 1, 2)',
  '$substring(value, -2)',
  '$substring(value, -3, 2)',
  'value >= 0 and value < 150',
  'value = record.a',
  'value != "x"',
  '"<" & value & ">"',
  'value * 100',
  '-value',
  'value % 7',
  'value / 3 + 1',
  '$number(value)',
  '$round(value)',
  '$round($number(value) * 100)',
  '$string(value)',
  '$length(value)',
  '$exists(record.a.b)',
  '$contains(value, "@")',
  'record.a or value',
  'true and record.b',
  'null',
];

function compile(source: string, useFastPath: boolean): CompiledExpression {
  const compiled = compileExpression(source, { index: 0, internalField: 'field', role: 'transform' }, {}, useFastPath);
  if ('issue' in compiled) throw new Error(compiled.issue.message);
  return compiled.expression;
}

type Outcome = { readonly value: JsonValue | undefined } | { readonly error: string };

async function outcome(expression: CompiledExpression, value: JsonValue | undefined, record: JsonValue): Promise<Outcome> {
  try {
    return { value: await expression.evaluate(structuredClone(value), structuredClone(record)) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

const scalar = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom(' a  b ', '\t X\n', '42', '007', '1e3', '-0', '0x1F', '', 'a@b', 'x'),
  fc.integer({ min: -5, max: 200 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const value: fc.Arbitrary<JsonValue> = fc.oneof(
  { weight: 6, arbitrary: scalar },
  { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('a', 'b'), scalar, { maxKeys: 2 }) },
);

describe('the fast path', () => {
  it.each(SUBSET)('handles %s without JSONata', (source) => {
    expect(compile(source, true).fastPath).toBe(true);
  });

  it.each(['$round(value, 2)', 'value[0]', 'items.price', '$map(value, function($v) { $v })', '( $x := value; $x )', 'value ? 1 : 2'])(
    'leaves %s to JSONata',
    (source) => {
      expect(compile(source, true).fastPath).toBe(false);
    },
  );

  it.each(SUBSET)('gives what JSONata gives for %s, errors included', async (source) => {
    const fast = compile(source, true);
    const interpreted = compile(source, false);
    await fc.assert(
      fc.asyncProperty(
        fc.option(value, { nil: undefined }),
        fc.dictionary(fc.constantFrom('a', 'b'), value, { maxKeys: 2 }),
        async (input, record) => {
          expect(await outcome(fast, input, record)).toEqual(await outcome(interpreted, input, record));
        },
      ),
      { numRuns: 300 },
    );
  });
});
