import { z } from 'zod';
import type { JsonValue } from '../store/store-records';
import { mappingDefinitionError, type DefinitionIssue } from './mapping-errors';
import { isFieldPath, parsePath, pathsOverlap } from './mapping-paths';
import { MAPPING_FIELD_TYPES, type MappingFieldType } from './mapping-types';

/** How one field moves between a provider's record (external) and Switchyard's (internal). */
export interface FieldMapping {
  /** Where the value is in the provider's record: a dot path, `[n]` for array items (`properties.email`, `emails[0].value`). */
  readonly externalField: string;
  /** Where it goes in the internal record, same syntax. Unique within a mapping, and no field lies inside another. */
  readonly internalField: string;
  /** The internal value's type; values are converted to it (see `CONVERTERS`). */
  readonly type: MappingFieldType;
  /** Whether a missing or `null` value (after `transform`, when there is no `default`) fails the record. Default: `false`. */
  readonly required?: boolean | undefined;
  /** Used when the value is missing or `null`; must convert to `type`. Default: none (missing stays missing, `null` stays `null`). */
  readonly default?: JsonValue | undefined;
  /**
   * JSONata, external → internal. Sees `value` (the external field's value,
   * also bound as `$value`; `null` reads as missing, and stays `null` when
   * the expression yields nothing) and `record` (the whole external record).
   * Default: the value itself.
   */
  readonly transform?: string | undefined;
  /**
   * JSONata, internal → external, with `value` the internal value and
   * `record` the internal record. Default: the value itself, unless there is
   * a `transform` — then the field is one-way and left out of external records.
   */
  readonly reverse?: string | undefined;
  /** JSONata that must yield `true` for a present value (`value` converted, `record` the source record). Default: none. */
  readonly validate?: string | undefined;
  /** The error message when `validate` does not yield `true`. Default: one naming the expression. */
  readonly message?: string | undefined;
}

/** How records of one entity of one integration type map to internal records. */
export interface MappingDefinition {
  /** The provider or integration type, e.g. `hubspot`. */
  readonly integrationType: string;
  /** The entity, e.g. `contact`. */
  readonly entity: string;
  /** At least one; applied in order. */
  readonly fields: readonly FieldMapping[];
}

const name = z.string().trim().min(1).max(255);
const fieldPath = z
  .string()
  .max(1000)
  .refine(isFieldPath, 'must be a dot path such as "properties.email" or "emails[0].value" (no __proto__, constructor or prototype)');
const expression = z.string().trim().min(1).max(10_000);

/** The schema of a {@link FieldMapping}; unknown keys are refused, so a misspelt `transfrom` does not pass unnoticed. */
export const fieldMappingSchema = z.strictObject({
  externalField: fieldPath,
  internalField: fieldPath,
  type: z.enum(MAPPING_FIELD_TYPES),
  required: z.boolean().optional(),
  default: z.json().optional(),
  transform: expression.optional(),
  reverse: expression.optional(),
  validate: expression.optional(),
  message: z.string().min(1).max(1000).optional(),
});

/** The schema of a {@link MappingDefinition}: fields well formed, internal fields unique and not inside one another. */
export const mappingDefinitionSchema = z
  .strictObject({ integrationType: name, entity: name, fields: z.array(fieldMappingSchema).min(1).max(1000) })
  .superRefine((definition, context) => {
    const paths = definition.fields.map((field) => parsePath(field.internalField));
    for (const [index, field] of definition.fields.entries()) {
      const clash = paths.findIndex((other, otherIndex) => otherIndex < index && pathsOverlap(other, paths[index]!));
      if (clash === -1) continue;
      const other = definition.fields[clash]!.internalField;
      context.addIssue({
        code: 'custom',
        path: ['fields', index, 'internalField'],
        message:
          other === field.internalField
            ? `internal field "${field.internalField}" is mapped twice (fields ${clash} and ${index})`
            : `internal field "${field.internalField}" overlaps "${other}" (fields ${clash} and ${index})`,
      });
    }
  });

/** Drops keys whose value is `undefined`, so the definition is plain JSON. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as T;
}

/**
 * Checks a mapping definition's shape (not its expressions: `compileMapping`
 * does that) and returns it trimmed and without `undefined` keys. Throws an
 * `IntegrationError` of kind `validation` whose `details.issues` name the
 * paths inside the definition, e.g. `fields.2.internalField`.
 */
export function parseMappingDefinition(input: unknown): MappingDefinition {
  const parsed = mappingDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    const issues: DefinitionIssue[] = parsed.error.issues.map((issue) => ({
      path: issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment))),
      message: issue.path.length === 0 ? issue.message : `${issue.path.join('.')}: ${issue.message}`,
    }));
    throw mappingDefinitionError(issues);
  }
  const { integrationType, entity, fields } = parsed.data;
  return { integrationType, entity, fields: fields.map((field) => withoutUndefined(field as FieldMapping)) };
}
