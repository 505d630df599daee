/**
 * npm run bench:mapping [-- --json] [-- --quick]
 *
 * What a stored data mapping (issue 18) costs per record against a
 * hand-written JavaScript function doing the same work. The mapping has 20
 * fields, as a CRM contact sync would: 12 plain path copies with type
 * conversion (strings, integer and number from strings, booleans from
 * "true"/"1", date-times normalized to ISO 8601), 5 JSONata transforms
 * (trim and lowercase, a joined name, uppercase, a number from a string, a
 * substring), 2 defaults and 1 JSONata `validate`. A second pair of variants
 * runs only the 12 plain fields, the fast path with no JSONata at all, as
 * the sync engine does for most providers.
 *
 * {@link RECORDS} generated records (5 000 with `--quick`) are mapped one
 * after another, as the sync engine does, in alternating slices of
 * {@link SLICE} records per variant (the first variant rotates every
 * slice), after a warm-up. Outputs of both are checked equal first.
 *
 * Reports records/s of each; the key figure is `mappingOverHandWritten`
 * (20-field mapping records/s ÷ hand-written records/s), with
 * `plainMappingOverHandWritten` for the plain fields. The simple
 * expressions here run on the mapping's synchronous fast path; one that
 * goes to JSONata's asynchronous interpreter costs several µs per record.
 *
 * Goals (issue 18: the sync engine maps tens of thousands of records/s):
 * ≥ 20 000 records/s through the 20-field mapping and ≥ 50 000 records/s
 * through the plain fields, on one core. Printed, never failing the run.
 */
import { isDeepStrictEqual } from 'node:util';
import { loadavg } from 'node:os';
import { compileMapping, type FieldMapping, type JsonObject, type MappingDefinition } from '@switchyard/platform';
import { printTable } from './measure.ts';

const QUICK = process.argv.includes('--quick');
const RECORDS = QUICK ? 5_000 : 50_000;
const SLICE = 500;
const WARMUP_RECORDS = QUICK ? 1_000 : 5_000;

const PLAIN_FIELDS: FieldMapping[] = [
  { externalField: 'id', internalField: 'externalId', type: 'string', required: true },
  { externalField: 'properties.firstname', internalField: 'firstName', type: 'string' },
  { externalField: 'properties.lastname', internalField: 'lastName', type: 'string' },
  { externalField: 'properties.phone', internalField: 'contact.phone', type: 'string' },
  { externalField: 'properties.company', internalField: 'company.name', type: 'string' },
  { externalField: 'properties.employees', internalField: 'company.employees', type: 'integer' },
  { externalField: 'properties.score', internalField: 'score', type: 'number' },
  { externalField: 'properties.opted_in', internalField: 'optedIn', type: 'boolean', default: false },
  { externalField: 'properties.vip', internalField: 'vip', type: 'boolean' },
  { externalField: 'createdAt', internalField: 'createdAt', type: 'date-time', required: true },
  { externalField: 'updatedAt', internalField: 'updatedAt', type: 'date-time' },
  { externalField: 'addresses[0].city', internalField: 'contact.city', type: 'string', default: 'unknown' },
];

const MAPPING: MappingDefinition = {
  integrationType: 'bench',
  entity: 'contact',
  fields: [
    ...PLAIN_FIELDS,
    { externalField: 'properties.email', internalField: 'email', type: 'string', transform: '$lowercase($trim(value))' },
    {
      externalField: 'properties.firstname',
      internalField: 'fullName',
      type: 'string',
      transform: '$join([record.properties.firstname, record.properties.lastname], " ")',
    },
    { externalField: 'addresses[0].country', internalField: 'contact.country', type: 'string', transform: '$uppercase(value)' },
    {
      externalField: 'properties.revenue',
      internalField: 'company.revenueCents',
      type: 'integer',
      transform: '$round($number(value) * 100)',
    },
    { externalField: 'properties.postcode', internalField: 'contact.postcodeArea', type: 'string', transform: '$substring(value, 0, 3)' },
    { externalField: 'properties.stage', internalField: 'stage', type: 'string', default: 'subscriber' },
    { externalField: 'properties.source', internalField: 'source', type: 'string', default: 'import' },
    {
      externalField: 'properties.age',
      internalField: 'age',
      type: 'integer',
      validate: 'value >= 0 and value < 150',
      message: 'must be an age',
    },
  ],
};

/** The record the sync engine would see from a CRM, with values in the loose types providers send. */
function generate(index: number): JsonObject {
  const first = `First${index % 97}`;
  return {
    id: String(100_000 + index),
    properties: {
      email: `  User.${index}@Example.COM `,
      firstname: first,
      lastname: `Last${index % 89}`,
      phone: `+1 555 ${String(index).padStart(7, '0')}`,
      company: `Company ${index % 31}`,
      employees: String(10 + (index % 500)),
      score: String((index % 1000) / 10),
      opted_in: index % 3 === 0 ? 'true' : 'false',
      vip: index % 2,
      revenue: `${index % 10_000}.25`,
      postcode: `SW${index % 20} 1AA`,
      ...(index % 4 === 0 ? {} : { stage: 'lead' }),
      age: 18 + (index % 60),
    },
    createdAt: new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString(),
    updatedAt: Date.UTC(2026, 6, 1) + index * 1_000,
    addresses: [{ city: `City ${index % 13}`, country: index % 2 === 0 ? 'gb' : 'us' }],
  };
}

type Json = JsonObject[string];
const object = (value: Json | undefined): Record<string, Json> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
const toIso = (value: Json | undefined): string =>
  new Date(typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : (value as string | number)).toISOString();
const toBoolean = (value: Json | undefined): boolean => value === true || value === 1 || value === 'true' || value === '1';
/** The generated scalars as text, as a hand-written mapper would trust them to be. */
const text = (value: Json | undefined): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** The 12 plain fields, by hand. */
function handWrittenPlain(external: JsonObject, record: Record<string, Json>): void {
  const properties = object(external.properties) ?? {};
  const address = object(Array.isArray(external.addresses) ? external.addresses[0] : undefined);
  const contact: Record<string, Json> = {};
  const company: Record<string, Json> = {};
  record.externalId = text(external.id);
  if (properties.firstname != null) record.firstName = text(properties.firstname);
  if (properties.lastname != null) record.lastName = text(properties.lastname);
  if (properties.phone != null) contact.phone = text(properties.phone);
  if (properties.company != null) company.name = text(properties.company);
  if (properties.employees != null) company.employees = Number(properties.employees);
  if (properties.score != null) record.score = Number(properties.score);
  record.optedIn = properties.opted_in == null ? false : toBoolean(properties.opted_in);
  if (properties.vip != null) record.vip = toBoolean(properties.vip);
  record.createdAt = toIso(external.createdAt);
  if (external.updatedAt != null) record.updatedAt = toIso(external.updatedAt);
  contact.city = address?.city == null ? 'unknown' : text(address.city);
  record.contact = contact;
  record.company = company;
}

/** The whole 20-field mapping, by hand. */
function handWritten(external: JsonObject): JsonObject {
  const record: Record<string, Json> = {};
  handWrittenPlain(external, record);
  const properties = object(external.properties) ?? {};
  const address = object(Array.isArray(external.addresses) ? external.addresses[0] : undefined);
  const contact = record.contact as Record<string, Json>;
  const company = record.company as Record<string, Json>;
  if (typeof properties.email === 'string') record.email = properties.email.trim().toLowerCase();
  record.fullName = [text(properties.firstname), text(properties.lastname)].join(' ');
  if (typeof address?.country === 'string') contact.country = address.country.toUpperCase();
  if (properties.revenue != null) company.revenueCents = Math.round(Number(properties.revenue) * 100);
  if (typeof properties.postcode === 'string') contact.postcodeArea = properties.postcode.slice(0, 3);
  record.stage = properties.stage == null ? 'subscriber' : text(properties.stage);
  record.source = properties.source == null ? 'import' : text(properties.source);
  const age = Number(properties.age);
  if (!(age >= 0 && age < 150)) throw new Error('age must be an age');
  record.age = age;
  return record;
}

interface Variant {
  readonly name: string;
  readonly map: (external: JsonObject) => Promise<unknown>;
}

interface Result {
  readonly name: string;
  readonly recordsPerSecond: number;
  readonly microsecondsPerRecord: number;
}

async function runSlice(variant: Variant, records: readonly JsonObject[]): Promise<number> {
  const startedAt = process.hrtime.bigint();
  for (const record of records) await variant.map(record);
  return Number(process.hrtime.bigint() - startedAt);
}

async function main(): Promise<void> {
  const json = process.argv.includes('--json');
  const full = compileMapping(MAPPING);
  const plain = compileMapping({ ...MAPPING, fields: PLAIN_FIELDS });
  const variants: Variant[] = [
    { name: 'mapping, 20 fields', map: (external) => full.toInternal(external) },
    { name: 'hand-written, 20 fields', map: (external) => Promise.resolve(handWritten(external)) },
    { name: 'mapping, 12 plain fields', map: (external) => plain.toInternal(external) },
    {
      name: 'hand-written, 12 plain fields',
      map: (external) => {
        const record: Record<string, Json> = {};
        handWrittenPlain(external, record);
        return Promise.resolve(record);
      },
    },
  ];

  const records = Array.from({ length: RECORDS }, (_, index) => generate(index));
  for (const sample of records.slice(0, 200)) {
    const mapped = await full.toInternal(sample);
    if (!mapped.ok || !isDeepStrictEqual(mapped.record, handWritten(sample))) {
      throw new Error(
        `the mapping and the hand-written function disagree on record ${JSON.stringify(sample.id)}: ${JSON.stringify(mapped)}`,
      );
    }
  }
  for (const variant of variants) await runSlice(variant, records.slice(0, WARMUP_RECORDS));

  const nanoseconds = variants.map(() => 0);
  const slices = Math.ceil(RECORDS / SLICE);
  for (let slice = 0; slice < slices; slice += 1) {
    const chunk = records.slice(slice * SLICE, (slice + 1) * SLICE);
    for (let offset = 0; offset < variants.length; offset += 1) {
      const index = (slice + offset) % variants.length;
      nanoseconds[index]! += await runSlice(variants[index]!, chunk);
    }
  }
  const results: Result[] = variants.map((variant, index) => ({
    name: variant.name,
    recordsPerSecond: RECORDS / (nanoseconds[index]! / 1e9),
    microsecondsPerRecord: nanoseconds[index]! / 1e3 / RECORDS,
  }));
  const [mapping, hand, plainMapping, plainHand] = results as [Result, Result, Result, Result];
  const mappingOverHandWritten = mapping.recordsPerSecond / hand.recordsPerSecond;
  const plainMappingOverHandWritten = plainMapping.recordsPerSecond / plainHand.recordsPerSecond;
  const goals = { mappingRecordsPerSecond: 20_000, plainMappingRecordsPerSecond: 50_000 };
  const met = {
    mappingRecordsPerSecond: mapping.recordsPerSecond >= goals.mappingRecordsPerSecond,
    plainMappingRecordsPerSecond: plainMapping.recordsPerSecond >= goals.plainMappingRecordsPerSecond,
  };

  if (json) {
    console.log(
      JSON.stringify({
        benchmark: 'mapping',
        node: process.version,
        loadAverage: loadavg()[0],
        options: { records: RECORDS, slice: SLICE, warmupRecords: WARMUP_RECORDS },
        mappingOverHandWritten,
        mappingRecordsPerSecond: mapping.recordsPerSecond,
        handWrittenRecordsPerSecond: hand.recordsPerSecond,
        plainMappingOverHandWritten,
        plainMappingRecordsPerSecond: plainMapping.recordsPerSecond,
        plainHandWrittenRecordsPerSecond: plainHand.recordsPerSecond,
        goals,
        met,
        variants: results,
      }),
    );
    return;
  }
  console.log(
    `mapping benchmark: ${RECORDS} records in alternating slices of ${SLICE}, ${process.version}, load ${loadavg()[0]!.toFixed(2)}\n`,
  );
  printTable(
    ['variant', 'records/s', 'µs/record'],
    results.map((result) => [result.name, result.recordsPerSecond.toFixed(0), result.microsecondsPerRecord.toFixed(2)]),
  );
  console.log(
    `\nmapping / hand-written records/s: ${mappingOverHandWritten.toFixed(3)} with 20 fields, ${plainMappingOverHandWritten.toFixed(3)} with 12 plain fields`,
  );
  console.log(
    `goals: >= 20 000 records/s with 20 fields (${met.mappingRecordsPerSecond ? 'met' : 'NOT met'}), ` +
      `>= 50 000 records/s with plain fields (${met.plainMappingRecordsPerSecond ? 'met' : 'NOT met'})`,
  );
}

await main();
