import { IntegrationError } from '@switchyard/core';
import type { DefinitionRepository, Store } from '../store/store';
import type { DefinitionRecord, JsonObject } from '../store/store-records';
import { compileMapping, type CompiledMapping } from './mapping-compiler';
import type { FieldMapping, MappingDefinition } from './mapping-definition';
import { mappingRecordError } from './mapping-errors';
import type { ExpressionLimits } from './mapping-expressions';
import {
  definitionName,
  definitionOf,
  mappingFromRecord,
  templateFromRecord,
  toStoredDefinition,
  type MappingRecord,
  type MappingTemplateRecord,
} from './mapping-records';

/** Narrows {@link MappingService.listMappings} and {@link MappingService.listTemplates}; absent fields match everything. */
export interface MappingFilter {
  readonly integrationType?: string | undefined;
  readonly entity?: string | undefined;
}

/** What {@link MappingService.createMapping} takes. */
export interface NewMapping extends MappingDefinition {
  /** Default: a random UUID. */
  readonly id?: string | undefined;
}

/** What {@link MappingService.updateMapping} changes; absent fields stay as they are. */
export interface MappingChanges {
  readonly integrationType?: string | undefined;
  readonly entity?: string | undefined;
  /** Replaces the fields as a whole. */
  readonly fields?: readonly FieldMapping[] | undefined;
}

/** What {@link MappingService.createTemplate} takes. */
export interface NewMappingTemplate extends NewMapping {
  /** Make it the default for its (integration type, entity), unsetting the previous default. Default: `false`. */
  readonly isDefault?: boolean | undefined;
}

/** What {@link MappingService.updateTemplate} changes; absent fields stay as they are. */
export interface MappingTemplateChanges extends MappingChanges {
  /** `true` makes it the default for its pair, unsetting the previous default. */
  readonly isDefault?: boolean | undefined;
}

/** Options of {@link createMappingService}. */
export interface MappingServiceOptions {
  /**
   * How long a compiled mapping is reused before the store is read again, so
   * writes made by other processes are picked up. Writes through this
   * service invalidate the cache at once. Default: 30 000 ms.
   */
  readonly cacheTtlMs?: number | undefined;
  /** Bounds on each JSONata evaluation (see `compileMapping`). */
  readonly limits?: ExpressionLimits | undefined;
}

/** Stored mappings and templates, and mapping records through them. */
export interface MappingService {
  /** Validates and compiles the definition, then stores it. Throws `validation`, and `conflict` when the pair already has a mapping. */
  createMapping(mapping: NewMapping): Promise<MappingRecord>;
  /** Throws `not_found`. */
  getMapping(id: string): Promise<MappingRecord>;
  /** Ordered by `${integrationType}/${entity}`, then id. */
  listMappings(filter?: MappingFilter): Promise<MappingRecord[]>;
  /** Throws `not_found`, `validation`, and `conflict` when moved onto a pair that has a mapping. */
  updateMapping(id: string, changes: MappingChanges): Promise<MappingRecord>;
  /** Throws `not_found`. */
  deleteMapping(id: string): Promise<void>;
  /** Validates and compiles the template, then stores it; a default one unsets the pair's previous default. */
  createTemplate(template: NewMappingTemplate): Promise<MappingTemplateRecord>;
  /** Throws `not_found`. */
  getTemplate(id: string): Promise<MappingTemplateRecord>;
  /** Ordered by `${integrationType}/${entity}`, then id. */
  listTemplates(filter?: MappingFilter): Promise<MappingTemplateRecord[]>;
  /** Throws `not_found` and `validation`. */
  updateTemplate(id: string, changes: MappingTemplateChanges): Promise<MappingTemplateRecord>;
  /** Throws `not_found`. */
  deleteTemplate(id: string): Promise<void>;
  /**
   * The compiled mapping of a pair: its mapping, else its default template.
   * Cached, so hot loops call `toInternal` on it directly. Throws `not_found`
   * when there is neither.
   */
  compiled(integrationType: string, entity: string): Promise<CompiledMapping>;
  /** A provider record as an internal one. Throws `validation` with `details.errors` (field, rule, message) per failed field. */
  transformData(integrationType: string, entity: string, data: JsonObject): Promise<JsonObject>;
  /** An internal record as a provider one. Throws `validation` like {@link transformData}. */
  reverseTransform(integrationType: string, entity: string, record: JsonObject): Promise<JsonObject>;
}

interface CacheEntry {
  readonly expiresAt: number;
  readonly mapping: Promise<CompiledMapping>;
}

function pairKey(integrationType: string, entity: string): string {
  return `${integrationType}\u0000${entity}`;
}

function isPair(record: DefinitionRecord, integrationType: string, entity: string): boolean {
  return record.definition.integrationType === integrationType && record.definition.entity === entity;
}

function matches(record: DefinitionRecord, filter: MappingFilter): boolean {
  return (
    (filter.integrationType === undefined || record.definition.integrationType === filter.integrationType) &&
    (filter.entity === undefined || record.definition.entity === filter.entity)
  );
}

/**
 * The mapping service over a store's `mappings` and `mappingTemplates`. A
 * pair (integration type, entity) has at most one mapping (a second is a
 * `conflict`) and at most one default template (a new default unsets the
 * old one); a mapping wins over the default template. Definitions are
 * stored as JSON under the name `${integrationType}/${entity}` and compiled
 * before they are stored, so a stored definition always compiled once.
 *
 * @example
 * const mappings = createMappingService(store);
 * await mappings.createMapping(HUBSPOT_CONTACT_MAPPING);
 * const contact = await mappings.transformData('hubspot', 'contact', hubspotContact);
 */
export function createMappingService(store: Store, options: MappingServiceOptions = {}): MappingService {
  const cacheTtlMs = options.cacheTtlMs ?? 30_000;
  const cache = new Map<string, CacheEntry>();
  const compile = (definition: MappingDefinition): CompiledMapping => compileMapping(definition, { limits: options.limits });

  /** Validates a definition the way storing it requires: shape, then every expression. */
  function checked(definition: MappingDefinition): MappingDefinition {
    return compile(definitionOf(definition)).definition;
  }

  async function assertNoMapping(definition: MappingDefinition, exceptId?: string): Promise<void> {
    const clash = (await store.mappings.list()).find(
      (record) => record.id !== exceptId && isPair(record, definition.integrationType, definition.entity),
    );
    if (clash === undefined) return;
    throw new IntegrationError({
      kind: 'conflict',
      operation: 'mappings.create',
      message: `${definitionName(definition)} already has a mapping (${clash.id}); update it instead`,
    });
  }

  /** Makes `keepId` the only default template of its pair. */
  async function unsetOtherDefaults(definition: MappingDefinition, keepId: string): Promise<void> {
    for (const record of await store.mappingTemplates.list()) {
      if (record.id === keepId || record.definition.isDefault !== true || !isPair(record, definition.integrationType, definition.entity))
        continue;
      await store.mappingTemplates.update(record.id, { definition: { ...record.definition, isDefault: false } });
    }
  }

  async function list<T extends MappingRecord>(
    repository: DefinitionRepository,
    read: (record: DefinitionRecord) => T,
    filter: MappingFilter,
  ) {
    return (await repository.list()).filter((record) => matches(record, filter)).map(read);
  }

  async function load(integrationType: string, entity: string): Promise<CompiledMapping> {
    const mapping = (await store.mappings.list()).find((record) => isPair(record, integrationType, entity));
    const template =
      mapping ??
      (await store.mappingTemplates.list()).find(
        (record) => record.definition.isDefault === true && isPair(record, integrationType, entity),
      );
    if (template === undefined) {
      throw new IntegrationError({
        kind: 'not_found',
        operation: 'mappings.compiled',
        message: `No mapping and no default template for ${integrationType}/${entity}`,
      });
    }
    return compile(definitionOf(mappingFromRecord(template)));
  }

  async function compiled(integrationType: string, entity: string): Promise<CompiledMapping> {
    const key = pairKey(integrationType, entity);
    const cached = cache.get(key);
    if (cached !== undefined && cached.expiresAt > Date.now()) return cached.mapping;
    const mapping = load(integrationType, entity);
    cache.set(key, { expiresAt: Date.now() + cacheTtlMs, mapping });
    mapping.catch(() => {
      if (cache.get(key)?.mapping === mapping) cache.delete(key);
    });
    return mapping;
  }

  return {
    async createMapping(mapping) {
      const definition = checked(mapping);
      await assertNoMapping(definition);
      const record = await store.mappings.create({
        id: mapping.id,
        name: definitionName(definition),
        definition: toStoredDefinition(definition),
      });
      cache.clear();
      return mappingFromRecord(record);
    },
    async getMapping(id) {
      return mappingFromRecord(await store.mappings.get(id));
    },
    listMappings: (filter = {}) => list(store.mappings, mappingFromRecord, filter),
    async updateMapping(id, changes) {
      const current = mappingFromRecord(await store.mappings.get(id));
      const definition = checked({ ...current, ...withoutUndefined(changes) });
      await assertNoMapping(definition, id);
      const record = await store.mappings.update(id, { name: definitionName(definition), definition: toStoredDefinition(definition) });
      cache.clear();
      return mappingFromRecord(record);
    },
    async deleteMapping(id) {
      await store.mappings.delete(id);
      cache.clear();
    },
    async createTemplate(template) {
      const definition = checked(template);
      const isDefault = template.isDefault ?? false;
      const record = await store.mappingTemplates.create({
        id: template.id,
        name: definitionName(definition),
        definition: toStoredDefinition(definition, isDefault),
      });
      if (isDefault) await unsetOtherDefaults(definition, record.id);
      cache.clear();
      return templateFromRecord(record);
    },
    async getTemplate(id) {
      return templateFromRecord(await store.mappingTemplates.get(id));
    },
    listTemplates: (filter = {}) => list(store.mappingTemplates, templateFromRecord, filter),
    async updateTemplate(id, changes) {
      const current = templateFromRecord(await store.mappingTemplates.get(id));
      const definition = checked({ ...current, ...withoutUndefined(changes) });
      const isDefault = changes.isDefault ?? current.isDefault;
      const record = await store.mappingTemplates.update(id, {
        name: definitionName(definition),
        definition: toStoredDefinition(definition, isDefault),
      });
      if (isDefault) await unsetOtherDefaults(definition, id);
      cache.clear();
      return templateFromRecord(record);
    },
    async deleteTemplate(id) {
      await store.mappingTemplates.delete(id);
      cache.clear();
    },
    compiled,
    async transformData(integrationType, entity, data) {
      const result = await (await compiled(integrationType, entity)).toInternal(data);
      if (!result.ok) throw mappingRecordError('mappings.transformData', result.errors);
      return result.record;
    },
    async reverseTransform(integrationType, entity, record) {
      const result = await (await compiled(integrationType, entity)).toExternal(record);
      if (!result.ok) throw mappingRecordError('mappings.reverseTransform', result.errors);
      return result.record;
    },
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
