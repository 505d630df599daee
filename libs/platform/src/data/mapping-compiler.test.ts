import { IntegrationError } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { HUBSPOT_CONTACT_MAPPING } from './examples/hubspot-contact-mapping';
import { compileMapping, type MappingResult } from './mapping-compiler';
import type { FieldMapping } from './mapping-definition';

const HUBSPOT_CONTACT = {
  id: '512',
  properties: {
    email: '  Ada.Lovelace@Example.COM ',
    firstname: 'Ada',
    lastname: 'Lovelace',
    phone: '+44 20 7946 0000',
    company: 'Analytical Engines',
    lifecyclestage: 'customer',
    createdate: '2026-11-02T09:15:00.000Z',
    lastmodifieddate: '2026-12-06T12:00:00.000Z',
    hs_object_id: '512',
  },
  createdAt: '2026-11-02T09:15:00.000Z',
  updatedAt: '2026-12-06T12:00:00.000Z',
  archived: false,
};

function mapping(...fields: FieldMapping[]) {
  return compileMapping({ integrationType: 'test', entity: 'thing', fields });
}

function compileError(run: () => unknown): IntegrationError {
  try {
    run();
  } catch (error) {
    if (IntegrationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an IntegrationError');
}

function errorsOf(result: MappingResult) {
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.record)}`);
  return result.errors;
}

describe('compileMapping: the HubSpot contact example', () => {
  const compiled = compileMapping(HUBSPOT_CONTACT_MAPPING);

  it('maps a CRM v3 contact to an internal contact', async () => {
    expect(await compiled.toInternal(HUBSPOT_CONTACT)).toEqual({
      ok: true,
      record: {
        externalId: '512',
        email: 'ada.lovelace@example.com',
        firstName: 'Ada',
        lastName: 'Lovelace',
        fullName: 'Ada Lovelace',
        phone: '+44 20 7946 0000',
        company: 'Analytical Engines',
        stage: 'customer',
        createdAt: '2026-11-02T09:15:00.000Z',
        updatedAt: '2026-12-06T12:00:00.000Z',
      },
    });
  });

  it('copes with missing and null properties, and uses the default stage', async () => {
    const result = await compiled.toInternal({
      id: '7',
      properties: { email: null, firstname: null, lastname: 'Byron' },
      createdAt: '2026-01-01',
    });
    expect(result).toEqual({
      ok: true,
      record: {
        externalId: '7',
        email: null,
        firstName: null,
        lastName: 'Byron',
        fullName: 'Byron',
        stage: 'subscriber',
        createdAt: '2026-01-01T00:00:00.000Z',
      },
    });
  });

  it('names every failed field and rule', async () => {
    const result = await compiled.toInternal({ properties: { email: 'not-an-address' }, createdAt: '2026-02-30' });
    expect(errorsOf(result)).toEqual([
      { field: 'externalId', rule: 'required', message: 'is required but missing' },
      { field: 'email', rule: 'validate', message: 'must be an email address' },
      { field: 'createdAt', rule: 'type', message: expect.stringContaining('expected an ISO 8601 date-time') as unknown },
    ]);
  });

  it('maps back to HubSpot properties, leaving out the one-way full name', async () => {
    const internal = await compiled.toInternal(HUBSPOT_CONTACT);
    if (!internal.ok) throw new Error('expected a record');
    expect(await compiled.toExternal(internal.record)).toEqual({
      ok: true,
      record: {
        id: '512',
        properties: {
          email: 'ada.lovelace@example.com',
          firstname: 'Ada',
          lastname: 'Lovelace',
          phone: '+44 20 7946 0000',
          company: 'Analytical Engines',
          lifecyclestage: 'customer',
        },
        createdAt: '2026-11-02T09:15:00.000Z',
        updatedAt: '2026-12-06T12:00:00.000Z',
      },
    });
  });
});

describe('compileMapping: paths', () => {
  it('reads and writes nested paths and array items both ways', async () => {
    const compiled = mapping(
      { externalField: 'emails[1].value', internalField: 'contact.email', type: 'string' },
      { externalField: 'address.lines[0]', internalField: 'contact.lines[0]', type: 'string' },
    );
    const internal = await compiled.toInternal({ emails: [{ value: 'a@x' }, { value: 'b@x' }], address: { lines: ['1 Main St'] } });
    expect(internal).toEqual({ ok: true, record: { contact: { email: 'b@x', lines: ['1 Main St'] } } });
    if (!internal.ok) return;
    expect(await compiled.toExternal(internal.record)).toEqual({
      ok: true,
      record: { emails: [null, { value: 'b@x' }], address: { lines: ['1 Main St'] } },
    });
  });

  it('does not read inherited properties', async () => {
    const compiled = mapping({ externalField: 'name.toString', internalField: 'name', type: 'json' });
    expect(await compiled.toInternal({ name: {} })).toEqual({ ok: true, record: {} });
  });
});

describe('compileMapping: types', () => {
  const cases: [FieldMapping['type'], unknown, unknown][] = [
    ['string', 42, '42'],
    ['string', true, 'true'],
    ['number', ' 4.5 ', 4.5],
    ['integer', '12', 12],
    ['boolean', 'TRUE', true],
    ['boolean', 'false', false],
    ['boolean', 1, true],
    ['boolean', 0, false],
    ['date-time', '2026-12-06T17:18:36+01:00', '2026-12-06T16:18:36.000Z'],
    ['date-time', '2026-12-06T16:18:36', '2026-12-06T16:18:36.000Z'],
    ['date-time', 1796573916123, '2026-12-06T16:18:36.123Z'],
    ['date-time', '1796573916123', '2026-12-06T16:18:36.123Z'],
    ['json', { nested: [1, { deep: true }] }, { nested: [1, { deep: true }] }],
    ['array', ['a'], ['a']],
    ['array', 'single', ['single']],
  ];
  it.each(cases)('converts to %s: %j → %j', async (type, input, expected) => {
    const compiled = mapping({ externalField: 'in', internalField: 'out', type });
    expect(await compiled.toInternal({ in: input as never })).toEqual({ ok: true, record: { out: expected } });
  });

  const refused: [FieldMapping['type'], unknown][] = [
    ['string', { a: 1 }],
    ['number', 'twelve'],
    ['number', ''],
    ['integer', 1.5],
    ['integer', '2.5'],
    ['boolean', 'yes'],
    ['boolean', 2],
    ['date-time', 'yesterday'],
    ['date-time', '2026-02-30'],
    ['date-time', '2026-12-06T25:00:00Z'],
  ];
  it.each(refused)('refuses %s from %j with a type error', async (type, input) => {
    const compiled = mapping({ externalField: 'in', internalField: 'out', type });
    expect(errorsOf(await compiled.toInternal({ in: input as never }))).toEqual([
      { field: 'out', rule: 'type', message: expect.stringContaining('expected') as unknown },
    ]);
  });
});

describe('compileMapping: defaults and required', () => {
  it('uses the default for missing and null values, converted to the type', async () => {
    const compiled = mapping({ externalField: 'count', internalField: 'count', type: 'integer', default: '0', required: true });
    expect(await compiled.toInternal({})).toEqual({ ok: true, record: { count: 0 } });
    expect(await compiled.toInternal({ count: null })).toEqual({ ok: true, record: { count: 0 } });
  });

  it('does not share a default object between records', async () => {
    const compiled = mapping({ externalField: 'tags', internalField: 'tags', type: 'array', default: [] });
    const first = await compiled.toInternal({});
    if (first.ok) (first.record.tags as string[]).push('mutated');
    expect(await compiled.toInternal({})).toEqual({ ok: true, record: { tags: [] } });
  });

  it('keeps null and leaves missing optional fields out', async () => {
    const compiled = mapping(
      { externalField: 'a', internalField: 'a', type: 'string' },
      { externalField: 'b', internalField: 'b', type: 'string' },
    );
    expect(await compiled.toInternal({ a: null })).toEqual({ ok: true, record: { a: null } });
  });

  it('refuses a default that does not fit the type', () => {
    const error = compileError(() => mapping({ externalField: 'n', internalField: 'n', type: 'integer', default: 'many' }));
    expect(error.kind).toBe('validation');
    expect(error.message).toContain('default of field "n"');
  });
});

describe('compileMapping: JSONata', () => {
  it('binds value both as a path and as $value, and record as the whole source', async () => {
    const compiled = mapping(
      { externalField: 'name', internalField: 'a', type: 'string', transform: '$trim(value)' },
      { externalField: 'name', internalField: 'b', type: 'string', transform: '$uppercase($value)' },
      { externalField: 'name', internalField: 'c', type: 'string', transform: 'record.prefix & "-" & $trim(value)' },
    );
    expect(await compiled.toInternal({ name: '  ada ', prefix: 'p' })).toEqual({ ok: true, record: { a: 'ada', b: '  ADA ', c: 'p-ada' } });
  });

  it('passes a null value to expressions as missing, so $trim(value) needs no guard', async () => {
    const compiled = mapping({ externalField: 'name', internalField: 'name', type: 'string', transform: '$trim(value)' });
    expect(await compiled.toInternal({ name: null })).toEqual({ ok: true, record: { name: null } });
    expect(await compiled.toInternal({})).toEqual({ ok: true, record: {} });
  });

  it('reports an evaluation error as a transform error of the field', async () => {
    const compiled = mapping({
      externalField: 'n',
      internalField: 'n',
      type: 'number',
      transform: '$number(value) + record.missing.$error("boom")',
    });
    expect(errorsOf(await compiled.toInternal({ n: 'x' }))).toEqual([
      { field: 'n', rule: 'transform', message: expect.stringContaining('transform failed') as unknown },
    ]);
  });

  it('stops a runaway expression instead of hanging', async () => {
    const compiled = compileMapping(
      {
        integrationType: 't',
        entity: 'e',
        fields: [{ externalField: 'x', internalField: 'x', type: 'json', transform: '($loop := function($n){ $loop($n + 1) }; $loop(0))' }],
      },
      { limits: { timeoutMs: 200, maxDepth: 100 } },
    );
    const errors = errorsOf(await compiled.toInternal({ x: 1 }));
    expect(errors[0]).toMatchObject({ field: 'x', rule: 'transform' });
    expect(errors[0]!.message).toMatch(/D1011|D1012/);
  });

  it('validates with an expression that must yield true', async () => {
    const compiled = mapping({ externalField: 'age', internalField: 'age', type: 'integer', validate: 'value >= 0 and value < 150' });
    expect(await compiled.toInternal({ age: '42' })).toEqual({ ok: true, record: { age: 42 } });
    expect(errorsOf(await compiled.toInternal({ age: -1 }))).toEqual([
      { field: 'age', rule: 'validate', message: 'must satisfy value >= 0 and value < 150' },
    ]);
  });

  it('uses reverse on the way out', async () => {
    const compiled = mapping({
      externalField: 'cents',
      internalField: 'amount',
      type: 'number',
      transform: 'value / 100',
      reverse: 'value * 100',
    });
    expect(await compiled.toInternal({ cents: 1250 })).toEqual({ ok: true, record: { amount: 12.5 } });
    expect(await compiled.toExternal({ amount: 12.5 })).toEqual({ ok: true, record: { cents: 1250 } });
  });

  it('says which mappings evaluate JSONata', () => {
    expect(mapping({ externalField: 'a', internalField: 'a', type: 'string' }).hasExpressions).toBe(false);
    expect(mapping({ externalField: 'a', internalField: 'a', type: 'string', validate: 'true' }).hasExpressions).toBe(true);
  });

  it('names the field of an expression that does not parse', () => {
    const error = compileError(() => mapping({ externalField: 'a', internalField: 'email', type: 'string', transform: '$trim(value' }));
    expect(error.kind).toBe('validation');
    expect(error.message).toContain('transform of field "email" is not valid JSONata');
    expect(error.details).toEqual({ issues: [{ path: ['fields', 0, 'transform'], message: expect.any(String) as unknown }] });
  });
});

describe('compileMapping: stored JavaScript is refused', () => {
  const refuse = (transform: string) =>
    compileError(() => mapping({ externalField: 'a', internalField: 'name', type: 'string', transform }));

  it('refuses the seed snippet and shows the JSONata for it', () => {
    const error = refuse('return value ? value.trim() : null;');
    expect(error.kind).toBe('validation');
    expect(error.message).toContain('transform of field "name"');
    expect(error.message).toContain('stored JavaScript is never executed');
    expect(error.message).toContain('$trim(value)');
  });

  it.each([
    ['value.toLowerCase()', '$lowercase(value)'],
    ['value => value.toUpperCase()', '$uppercase(value)'],
    ['parseInt(value, 10)', '$number(value)'],
    ['Number(value)', '$number(value)'],
    ['String(value)', '$string(value)'],
    ['return value.trim().toLowerCase();', '$lowercase($trim(value))'],
  ])('translates %s to %s', (javascript, jsonata) => {
    expect(refuse(javascript).message).toContain(`write it in JSONata instead: ${jsonata}`);
  });

  it.each(['value === "a"', 'value && record.b', 'function (value) { return value }', 'const x = value', 'Math.max(value, 1)'])(
    'refuses %s, pointing at the JSONata functions',
    (javascript) => {
      expect(refuse(javascript).message).toMatch(/looks like JavaScript .*(JSONata)/);
    },
  );

  it('accepts JSONata that uses look-alike syntax', () => {
    for (const transform of [
      '( $x := $trim(value); $x = "" ? "none" : $x )',
      'record.items.$sum(price)',
      '$map(value, function($v) { $v * 2 })',
      '"return value;" & value',
    ]) {
      expect(() => mapping({ externalField: 'a', internalField: 'a', type: 'json', transform })).not.toThrow();
    }
  });

  it('checks validate and reverse too', () => {
    expect(
      compileError(() => mapping({ externalField: 'a', internalField: 'a', type: 'string', validate: 'value.trim() != ""' })).message,
    ).toContain('validate of field "a" looks like JavaScript');
    expect(
      compileError(() => mapping({ externalField: 'a', internalField: 'a', type: 'string', reverse: 'return value;' })).message,
    ).toContain('reverse of field "a" looks like JavaScript');
  });
});

describe('compileMapping: definitions', () => {
  it('refuses duplicate and overlapping internal fields', () => {
    const duplicate = compileError(() =>
      mapping(
        { externalField: 'a', internalField: 'email', type: 'string' },
        { externalField: 'b', internalField: 'email', type: 'string' },
      ),
    );
    expect(duplicate.message).toContain('internal field "email" is mapped twice');
    expect(duplicate.details).toEqual({ issues: [{ path: ['fields', 1, 'internalField'], message: expect.any(String) as unknown }] });
    const overlap = compileError(() =>
      mapping(
        { externalField: 'a', internalField: 'address', type: 'json' },
        { externalField: 'b', internalField: 'address.city', type: 'string' },
      ),
    );
    expect(overlap.message).toContain('overlaps "address"');
  });

  it.each(['', 'a..b', 'a[x]', '__proto__.polluted', 'a.constructor'])('refuses the path %j', (path) => {
    expect(compileError(() => mapping({ externalField: path, internalField: 'a', type: 'string' })).kind).toBe('validation');
  });

  it('refuses unknown keys, such as a misspelt transform', () => {
    const error = compileError(() =>
      mapping({ externalField: 'a', internalField: 'a', type: 'string', transfrom: '$trim(value)' } as FieldMapping),
    );
    expect(error.message).toContain('transfrom');
  });
});
