import { IntegrationError, validationFields } from '@switchyard/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { createMemoryStore } from '../store/memory-store';
import type { Store } from '../store/store';
import { HUBSPOT_CONTACT_MAPPING } from './examples/hubspot-contact-mapping';
import type { MappingDefinition } from './mapping-definition';
import { createMappingService, type MappingService } from './mapping-service';

const CONTACT = {
  id: '512',
  properties: { email: ' Ada@Example.com', firstname: 'Ada', lastname: 'Lovelace', lifecyclestage: 'lead' },
  createdAt: '2026-11-02T09:15:00Z',
  updatedAt: '2026-12-06T12:00:00Z',
  archived: false,
};

const NAME_ONLY: MappingDefinition = {
  integrationType: 'hubspot',
  entity: 'contact',
  fields: [{ externalField: 'properties.firstname', internalField: 'name', type: 'string', transform: '$uppercase(value)' }],
};

async function rejection(promise: Promise<unknown>): Promise<IntegrationError> {
  try {
    await promise;
  } catch (error) {
    if (IntegrationError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an IntegrationError');
}

describe('createMappingService', () => {
  let store: Store;
  let mappings: MappingService;
  beforeEach(() => {
    store = createMemoryStore();
    mappings = createMappingService(store);
  });

  it('stores a mapping under integrationType/entity with its fields as JSON', async () => {
    const created = await mappings.createMapping(HUBSPOT_CONTACT_MAPPING);
    expect(created).toMatchObject({
      id: expect.any(String) as unknown,
      integrationType: 'hubspot',
      entity: 'contact',
      fields: HUBSPOT_CONTACT_MAPPING.fields,
    });
    const stored = await store.mappings.get(created.id);
    expect(stored.name).toBe('hubspot/contact');
    expect(stored.definition).toEqual(JSON.parse(JSON.stringify(HUBSPOT_CONTACT_MAPPING)));
    expect(await mappings.getMapping(created.id)).toEqual(created);
  });

  it('transforms data through the stored mapping', async () => {
    await mappings.createMapping(HUBSPOT_CONTACT_MAPPING);
    expect(await mappings.transformData('hubspot', 'contact', CONTACT)).toEqual({
      externalId: '512',
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      fullName: 'Ada Lovelace',
      stage: 'lead',
      createdAt: '2026-11-02T09:15:00.000Z',
      updatedAt: '2026-12-06T12:00:00.000Z',
    });
    expect(
      await mappings.reverseTransform('hubspot', 'contact', { externalId: '9', email: 'b@x.io', createdAt: '2026-01-01T00:00:00.000Z' }),
    ).toEqual({
      id: '9',
      properties: { email: 'b@x.io', lifecyclestage: 'subscriber' },
      createdAt: '2026-01-01T00:00:00.000Z',
    });
  });

  it('throws a validation error naming each failed field and rule', async () => {
    await mappings.createMapping(HUBSPOT_CONTACT_MAPPING);
    const error = await rejection(mappings.transformData('hubspot', 'contact', { properties: { email: 'nobody' }, createdAt: 'soon' }));
    expect(error.kind).toBe('validation');
    expect(validationFields(error.details)).toEqual(['externalId', 'email', 'createdAt']);
    expect(error.details).toMatchObject({
      errors: [
        { field: 'externalId', rule: 'required' },
        { field: 'email', rule: 'validate', message: 'must be an email address' },
        { field: 'createdAt', rule: 'type' },
      ],
    });
  });

  it('refuses a definition with JavaScript before storing it', async () => {
    const error = await rejection(
      mappings.createMapping({
        integrationType: 'crm',
        entity: 'contact',
        fields: [{ externalField: 'name', internalField: 'name', type: 'string', transform: 'return value ? value.trim() : null;' }],
      }),
    );
    expect(error.kind).toBe('validation');
    expect(error.message).toContain('$trim(value)');
    expect(await store.mappings.list()).toEqual([]);
  });

  it('allows one mapping per pair', async () => {
    await mappings.createMapping(HUBSPOT_CONTACT_MAPPING);
    expect((await rejection(mappings.createMapping(NAME_ONLY))).kind).toBe('conflict');
    const other = await mappings.createMapping({ ...NAME_ONLY, entity: 'company' });
    expect((await rejection(mappings.updateMapping(other.id, { entity: 'contact' }))).kind).toBe('conflict');
  });

  it('lists mappings by integration type and entity', async () => {
    await mappings.createMapping(HUBSPOT_CONTACT_MAPPING);
    await mappings.createMapping({ ...NAME_ONLY, entity: 'company' });
    await mappings.createMapping({ ...NAME_ONLY, integrationType: 'salesforce' });
    expect((await mappings.listMappings()).map((mapping) => `${mapping.integrationType}/${mapping.entity}`)).toEqual([
      'hubspot/company',
      'hubspot/contact',
      'salesforce/contact',
    ]);
    expect(await mappings.listMappings({ integrationType: 'hubspot', entity: 'company' })).toHaveLength(1);
    expect(await mappings.listMappings({ entity: 'contact' })).toHaveLength(2);
  });

  it('recompiles after an update and fails after a delete', async () => {
    const created = await mappings.createMapping(NAME_ONLY);
    expect(await mappings.transformData('hubspot', 'contact', CONTACT)).toEqual({ name: 'ADA' });
    await mappings.updateMapping(created.id, {
      fields: [{ externalField: 'properties.lastname', internalField: 'surname', type: 'string' }],
    });
    expect(await mappings.transformData('hubspot', 'contact', CONTACT)).toEqual({ surname: 'Lovelace' });
    await mappings.deleteMapping(created.id);
    expect((await rejection(mappings.transformData('hubspot', 'contact', CONTACT))).kind).toBe('not_found');
  });

  it('validates updates before storing them', async () => {
    const created = await mappings.createMapping(NAME_ONLY);
    const error = await rejection(
      mappings.updateMapping(created.id, { fields: [{ externalField: 'a', internalField: 'a', type: 'string', transform: '$trim(' }] }),
    );
    expect(error.kind).toBe('validation');
    expect((await mappings.getMapping(created.id)).fields).toEqual(NAME_ONLY.fields);
  });

  it('falls back to the default template, and a mapping wins over it', async () => {
    await mappings.createTemplate({ ...HUBSPOT_CONTACT_MAPPING, isDefault: true });
    expect(await mappings.transformData('hubspot', 'contact', CONTACT)).toMatchObject({ email: 'ada@example.com' });
    await mappings.createMapping(NAME_ONLY);
    expect(await mappings.transformData('hubspot', 'contact', CONTACT)).toEqual({ name: 'ADA' });
  });

  it('ignores templates that are not the default', async () => {
    await mappings.createTemplate(HUBSPOT_CONTACT_MAPPING);
    expect((await rejection(mappings.compiled('hubspot', 'contact'))).kind).toBe('not_found');
  });

  it('keeps one default template per pair: a new default unsets the old', async () => {
    const first = await mappings.createTemplate({ ...HUBSPOT_CONTACT_MAPPING, isDefault: true });
    const second = await mappings.createTemplate({ ...NAME_ONLY, isDefault: true });
    expect((await mappings.getTemplate(first.id)).isDefault).toBe(false);
    expect(await mappings.transformData('hubspot', 'contact', CONTACT)).toEqual({ name: 'ADA' });
    await mappings.updateTemplate(first.id, { isDefault: true });
    expect((await mappings.getTemplate(second.id)).isDefault).toBe(false);
    expect(await mappings.transformData('hubspot', 'contact', CONTACT)).toMatchObject({ fullName: 'Ada Lovelace' });
    expect((await mappings.listTemplates({ integrationType: 'hubspot' })).map((template) => template.isDefault).sort()).toEqual([
      false,
      true,
    ]);
    await mappings.deleteTemplate(first.id);
    expect((await rejection(mappings.compiled('hubspot', 'contact'))).kind).toBe('not_found');
  });

  it('caches the compiled mapping for hot loops', async () => {
    await mappings.createMapping(NAME_ONLY);
    const compiled = await mappings.compiled('hubspot', 'contact');
    expect(await mappings.compiled('hubspot', 'contact')).toBe(compiled);
    expect(await compiled.toInternal(CONTACT)).toEqual({ ok: true, record: { name: 'ADA' } });
  });

  it('reads again after the cache TTL, picking up writes made elsewhere', async () => {
    const shortLived = createMappingService(store, { cacheTtlMs: 0 });
    const created = await mappings.createMapping(NAME_ONLY);
    expect(await shortLived.transformData('hubspot', 'contact', CONTACT)).toEqual({ name: 'ADA' });
    await mappings.updateMapping(created.id, { fields: [{ externalField: 'id', internalField: 'id', type: 'integer' }] });
    expect(await shortLived.transformData('hubspot', 'contact', CONTACT)).toEqual({ id: 512 });
  });

  it('reports a stored definition that is not a mapping', async () => {
    const bad = await store.mappings.create({
      name: 'crm/contact',
      definition: { integrationType: 'crm', entity: 'contact', fields: 'nope' },
    });
    const error = await rejection(mappings.getMapping(bad.id));
    expect(error.kind).toBe('validation');
    expect(error.message).toContain(bad.id);
  });

  it('throws not_found for unknown ids', async () => {
    expect((await rejection(mappings.getMapping('missing'))).kind).toBe('not_found');
    expect((await rejection(mappings.deleteTemplate('missing'))).kind).toBe('not_found');
  });
});
