import { IntegrationError } from '@switchyard/core';
import type { DefinitionRecord, JsonObject } from '../store/store-records';
import { parseMappingDefinition, type MappingDefinition } from './mapping-definition';

/** A stored mapping: its definition, id and timestamps. */
export interface MappingRecord extends MappingDefinition {
  readonly id: string;
  /** ISO 8601 timestamp. */
  readonly createdAt: string;
  /** ISO 8601 timestamp. */
  readonly updatedAt: string;
}

/** A stored mapping template. */
export interface MappingTemplateRecord extends MappingRecord {
  /** Whether this is the template used for its (integration type, entity) when no mapping exists. At most one is. */
  readonly isDefault: boolean;
}

/** The store name of a definition: `${integrationType}/${entity}`. */
export function definitionName(definition: Pick<MappingDefinition, 'integrationType' | 'entity'>): string {
  return `${definition.integrationType}/${definition.entity}`;
}

/** A definition as stored: the JSON of the definition, plus `isDefault` for templates. */
export function toStoredDefinition(definition: MappingDefinition, isDefault?: boolean): JsonObject {
  return JSON.parse(JSON.stringify(isDefault === undefined ? definition : { ...definition, isDefault })) as JsonObject;
}

/** The mapping in a stored record; a record that does not hold one is a `validation` error naming its id. */
export function mappingFromRecord(record: DefinitionRecord): MappingRecord {
  const definition = Object.fromEntries(Object.entries(record.definition).filter(([key]) => key !== 'isDefault'));
  let parsed: MappingDefinition;
  try {
    parsed = parseMappingDefinition(definition);
  } catch (error) {
    throw new IntegrationError({
      kind: 'validation',
      operation: 'mappings.read',
      message: `Stored mapping ${record.id} ("${record.name}") is not a valid mapping definition: ${error instanceof Error ? error.message : String(error)}`,
      cause: error,
      details: IntegrationError.isInstance(error) ? error.details : undefined,
    });
  }
  return { ...parsed, id: record.id, createdAt: record.createdAt, updatedAt: record.updatedAt };
}

/** The template in a stored record. */
export function templateFromRecord(record: DefinitionRecord): MappingTemplateRecord {
  return { ...mappingFromRecord(record), isDefault: record.definition.isDefault === true };
}

/** Just the definition of a mapping record. */
export function definitionOf(record: MappingDefinition): MappingDefinition {
  return { integrationType: record.integrationType, entity: record.entity, fields: record.fields };
}
