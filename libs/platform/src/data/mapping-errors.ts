import { IntegrationError } from '@switchyard/core';

/** The rules a field can fail when a record is mapped. */
export const MAPPING_RULES = ['required', 'type', 'transform', 'validate'] as const;

/** One of {@link MAPPING_RULES}. */
export type MappingRule = (typeof MAPPING_RULES)[number];

/** Why one field of a record could not be mapped. */
export interface MappingFieldError {
  /** The field's internal path, e.g. `email` or `address.city`, in both directions. */
  readonly field: string;
  /** The rule that failed. */
  readonly rule: MappingRule;
  /** What was wrong, for people. */
  readonly message: string;
}

/**
 * The `validation` error thrown when a record does not map. `details.issues`
 * has the shape core's `validationFields` reads (one issue per field, its
 * `path` the internal field as one segment, its `code` the rule), and
 * `details.errors` the {@link MappingFieldError}s themselves.
 */
export function mappingRecordError(operation: string, errors: readonly MappingFieldError[]): IntegrationError {
  const summary = errors.map((error) => `${error.field}: ${error.message}`).join('; ');
  return new IntegrationError({
    kind: 'validation',
    operation,
    message: `${operation}: the record does not map (${summary})`,
    details: {
      issues: errors.map((error) => ({ path: [error.field], code: error.rule, message: error.message })),
      errors,
    },
  });
}

/** One problem with a mapping definition, at `path` inside it (e.g. `['fields', 2, 'transform']`). */
export interface DefinitionIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** The `validation` error thrown for a mapping definition that cannot be stored or compiled. */
export function mappingDefinitionError(issues: readonly DefinitionIssue[]): IntegrationError {
  const summary = issues.map((issue) => issue.message).join('; ');
  return new IntegrationError({
    kind: 'validation',
    operation: 'mappings.definition',
    message: `Invalid mapping definition: ${summary}`,
    details: { issues: issues.map((issue) => ({ path: [...issue.path], message: issue.message })) },
  });
}
