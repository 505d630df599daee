import type { JsonObject, JsonValue } from '../store/store-records';
import { parseMappingDefinition, type FieldMapping, type MappingDefinition } from './mapping-definition';
import { mappingDefinitionError, type DefinitionIssue, type MappingFieldError } from './mapping-errors';
import { compileExpression, type CompiledExpression, type ExpressionLimits, type ExpressionSite } from './mapping-expressions';
import { getPath, parsePath, setPath, type PathSegment } from './mapping-paths';
import { CONVERTERS, TypeMismatch, type Converter } from './mapping-types';

/** What mapping one record gives: the mapped record, or every field that failed. */
export type MappingResult =
  { readonly ok: true; readonly record: JsonObject } | { readonly ok: false; readonly errors: readonly MappingFieldError[] };

/** A mapping ready to run: paths parsed, expressions compiled, once. */
export interface CompiledMapping {
  readonly definition: MappingDefinition;
  /** Whether any field has a JSONata expression; without one, mapping never evaluates JSONata. */
  readonly hasExpressions: boolean;
  /** Provider record → internal record: get, transform, default, required, convert, validate, set — per field. */
  toInternal(external: JsonObject): Promise<MappingResult>;
  /**
   * Internal record → provider record: the internal value is checked like
   * on the way in (default, required, type, validate), then `reverse` or a
   * plain copy; fields with a `transform` but no `reverse` are skipped.
   */
  toExternal(internal: JsonObject): Promise<MappingResult>;
}

/** Options of {@link compileMapping}. */
export interface CompileMappingOptions {
  /** Bounds on each JSONata evaluation. Default: 1 s, depth 300, sequences of 100 000. */
  readonly limits?: ExpressionLimits | undefined;
}

interface FieldPlan {
  readonly field: string;
  readonly from: readonly PathSegment[];
  readonly to: readonly PathSegment[];
  readonly convert: Converter;
  readonly required: boolean;
  readonly fallback: JsonValue | undefined;
  readonly transform: CompiledExpression | undefined;
  readonly validate: CompiledExpression | undefined;
  readonly message: string | undefined;
}

/** Why an expression threw, as a field error. */
function evaluationError(field: string, rule: 'transform' | 'validate', error: unknown): MappingFieldError {
  return { field, rule, message: `${rule} failed: ${error instanceof Error ? error.message : String(error)}` };
}

function copy(value: JsonValue): JsonValue {
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}

/**
 * Maps one record through the plans. Plain fields, and expressions the fast
 * path handles, stay synchronous; only expressions JSONata itself evaluates
 * are awaited.
 */
async function run(plans: readonly FieldPlan[], source: JsonObject, direction: 'in' | 'out'): Promise<MappingResult> {
  const record: JsonObject = {};
  const errors: MappingFieldError[] = [];
  for (const plan of plans) {
    let value = getPath(source, plan.from);
    if (plan.transform !== undefined && direction === 'in') {
      try {
        // Expressions see null as missing; when they yield nothing from a null, the null stands.
        const pending = plan.transform.evaluate(value, source);
        value = (pending instanceof Promise ? await pending : pending) ?? (value === null ? null : undefined);
      } catch (error) {
        errors.push(evaluationError(plan.field, 'transform', error));
        continue;
      }
    }
    if (value === undefined || value === null) {
      if (plan.fallback !== undefined) value = copy(plan.fallback);
      else if (plan.required) {
        errors.push({ field: plan.field, rule: 'required', message: 'is required but missing' });
        continue;
      } else {
        if (value === null) setPath(record, plan.to, null);
        continue;
      }
    }
    const converted = plan.convert(value);
    if (converted instanceof TypeMismatch) {
      errors.push({ field: plan.field, rule: 'type', message: converted.message });
      continue;
    }
    value = converted;
    if (plan.validate !== undefined) {
      try {
        const pending = plan.validate.evaluate(value, source);
        if ((pending instanceof Promise ? await pending : pending) !== true) {
          errors.push({ field: plan.field, rule: 'validate', message: plan.message ?? `must satisfy ${plan.validate.source}` });
          continue;
        }
      } catch (error) {
        errors.push(evaluationError(plan.field, 'validate', error));
        continue;
      }
    }
    if (plan.transform !== undefined && direction === 'out') {
      try {
        const pending = plan.transform.evaluate(value, source);
        value = pending instanceof Promise ? await pending : pending;
      } catch (error) {
        errors.push(evaluationError(plan.field, 'transform', error));
        continue;
      }
      if (value === undefined) continue;
    }
    setPath(record, plan.to, value);
  }
  return errors.length === 0 ? { ok: true, record } : { ok: false, errors };
}

/** Compiles every expression of the definition, collecting every issue. */
function compileExpressions(definition: MappingDefinition, limits: ExpressionLimits | undefined) {
  const issues: DefinitionIssue[] = [];
  const compile = (field: FieldMapping, index: number, role: ExpressionSite['role']): CompiledExpression | undefined => {
    const source = field[role];
    if (source === undefined) return undefined;
    const compiled = compileExpression(source, { index, internalField: field.internalField, role }, limits);
    if ('issue' in compiled) {
      issues.push(compiled.issue);
      return undefined;
    }
    return compiled.expression;
  };
  const expressions = definition.fields.map((field, index) => ({
    transform: compile(field, index, 'transform'),
    reverse: compile(field, index, 'reverse'),
    validate: compile(field, index, 'validate'),
  }));
  return { expressions, issues };
}

/**
 * Checks a mapping definition and compiles it: paths parsed and JSONata
 * expressions parsed once, defaults converted to their field's type. Throws
 * an `IntegrationError` of kind `validation` when the definition is
 * malformed, an expression does not parse, an expression is JavaScript
 * (refused, with the JSONata to write instead), or a default does not fit
 * its type; the message names the internal field.
 *
 * @example
 * const mapping = compileMapping({
 *   integrationType: 'hubspot',
 *   entity: 'contact',
 *   fields: [{ externalField: 'properties.email', internalField: 'email', type: 'string', transform: '$lowercase($trim(value))' }],
 * });
 * const result = await mapping.toInternal({ properties: { email: ' Ada@Example.com ' } }); // { ok: true, record: { email: 'ada@example.com' } }
 */
export function compileMapping(input: MappingDefinition, options: CompileMappingOptions = {}): CompiledMapping {
  const definition = parseMappingDefinition(input);
  const { expressions, issues } = compileExpressions(definition, options.limits);
  const fallbacks = definition.fields.map((field, index) => {
    if (field.default === undefined || field.default === null) return undefined;
    const converted = CONVERTERS[field.type](field.default);
    if (!(converted instanceof TypeMismatch)) return converted;
    issues.push({ path: ['fields', index, 'default'], message: `default of field "${field.internalField}": ${converted.message}` });
    return undefined;
  });
  if (issues.length > 0) throw mappingDefinitionError(issues);

  const inbound: FieldPlan[] = [];
  const outbound: FieldPlan[] = [];
  for (const [index, field] of definition.fields.entries()) {
    const { transform, reverse, validate } = expressions[index]!;
    const externalPath = parsePath(field.externalField);
    const internalPath = parsePath(field.internalField);
    const common = {
      field: field.internalField,
      convert: CONVERTERS[field.type],
      required: field.required ?? false,
      fallback: fallbacks[index],
      validate,
      message: field.message,
    };
    inbound.push({ ...common, from: externalPath, to: internalPath, transform });
    if (transform === undefined || reverse !== undefined)
      outbound.push({ ...common, from: internalPath, to: externalPath, transform: reverse });
  }
  return {
    definition,
    hasExpressions: expressions.some((entry) => entry.transform ?? entry.reverse ?? entry.validate),
    toInternal: (external) => run(inbound, external, 'in'),
    toExternal: (internal) => run(outbound, internal, 'out'),
  };
}
