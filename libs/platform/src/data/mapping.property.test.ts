import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../store/store-records';
import { HUBSPOT_CONTACT_MAPPING } from './examples/hubspot-contact-mapping';
import { compileMapping } from './mapping-compiler';
import type { FieldMapping } from './mapping-definition';

const key = fc.stringMatching(/^[a-z][a-zA-Z0-9_]{0,7}$/).filter((candidate) => !['constructor', 'prototype'].includes(candidate));
const isoDate = fc
  .date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
  .map((date) => date.toISOString());
const leaf = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  isoDate,
  fc.constant(null),
);
const { record } = fc.letrec<{ record: JsonObject; node: JsonValue }>((tie) => ({
  record: fc.dictionary(key, tie('node'), { minKeys: 1, maxKeys: 4 }),
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, tie('record'), fc.array(tie('node'), { minLength: 1, maxLength: 3 })),
}));

/** Every leaf of a record with its path, in the syntax mappings use. */
function leaves(value: JsonValue, path: string): [string, JsonValue][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => leaves(item, `${path}[${index}]`));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([name, item]) => leaves(item, path === '' ? name : `${path}.${name}`));
  return [[path, value]];
}

function typeOf(value: JsonValue): FieldMapping['type'] {
  if (typeof value === 'string') return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) ? 'date-time' : 'string';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'boolean') return 'boolean';
  return 'json';
}

/** A mapping of every leaf to `data.<path>`; strings marked in `wrapped` go through a lossless transform and its reverse. */
function mappingFor(external: JsonObject, wrapped: readonly boolean[]) {
  const fields = leaves(external, '').map(([path, value], index): FieldMapping => {
    const field: FieldMapping = { externalField: path, internalField: `data.${path}`, type: typeOf(value) };
    return field.type === 'string' && wrapped[index % wrapped.length] === true
      ? { ...field, transform: '"<" & value & ">"', reverse: '$substring(value, 1, $length(value) - 2)' }
      : field;
  });
  return compileMapping({ integrationType: 'generated', entity: 'record', fields });
}

describe('mapping properties', () => {
  it('round-trips external → internal → external without lossy transforms', async () => {
    await fc.assert(
      fc.asyncProperty(record, fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), async (external, wrapped) => {
        const mapping = mappingFor(external, wrapped);
        const internal = await mapping.toInternal(external);
        expect(internal.ok).toBe(true);
        if (!internal.ok) return;
        expect(await mapping.toExternal(internal.record)).toEqual({ ok: true, record: external });
      }),
      { numRuns: 200 },
    );
  });

  it('copies plain paths unchanged into the internal record', async () => {
    await fc.assert(
      fc.asyncProperty(record, async (external) => {
        expect(await mappingFor(external, [false]).toInternal(external)).toEqual({ ok: true, record: { data: external } });
      }),
      { numRuns: 200 },
    );
  });

  it('never throws on arbitrary input to the HubSpot contact mapping: it maps or names fields', async () => {
    const mapping = compileMapping(HUBSPOT_CONTACT_MAPPING);
    const contact = fc.record(
      {
        id: fc.jsonValue(),
        properties: fc.dictionary(fc.constantFrom('email', 'firstname', 'lastname', 'phone', 'lifecyclestage'), fc.jsonValue()),
        createdAt: fc.jsonValue(),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(contact, async (external) => {
        const result = await mapping.toInternal(external as JsonObject);
        if (!result.ok) for (const error of result.errors) expect(['required', 'type', 'transform', 'validate']).toContain(error.rule);
      }),
      { numRuns: 300 },
    );
  });
});
