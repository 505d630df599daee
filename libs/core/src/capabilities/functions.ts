import { z } from 'zod';
import { defineCapability } from './capability';
import { touches } from './data-policy';

import { pageCursorSchema, pageLimitSchema, timestampSchema } from './capability-schemas';

/**
 * A function's name: 1–64 letters, digits, `-` and `_`, starting with a
 * letter — the names AWS Lambda, Azure Functions and Cloud Functions all accept.
 */
export const functionNameSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(64, 'must be at most 64 characters')
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'must start with a letter and contain only letters, digits, "-" and "_"')
  .describe('Function name, e.g. "resize-image".');

const base64Pattern = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** A deployment package: a zip archive, base64-encoded (at most 50 MiB decoded, Lambda's direct-upload limit). */
export const functionZipSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(69_905_068, 'must be at most 50 MiB once decoded')
  .regex(base64Pattern, 'must be a base64-encoded zip archive')
  .describe('The deployment package: a zip archive, base64-encoded.');

/** One function, mapped to one shape from Lambda, Azure Functions and Cloud Functions. */
export const functionInfoSchema = z.object({
  name: z.string().min(1),
  /** Runtime identifier in the provider's terms ("nodejs22.x", "node", "nodejs22"), when it reports one. */
  runtime: z.string().optional(),
  /** `active` when it can be invoked; `pending` while a deployment settles; `failed` when it cannot run. */
  state: z.enum(['active', 'pending', 'failed', 'unknown']),
  /** Where HTTP callers reach it, for HTTP-triggered functions. */
  url: z.url({ protocol: /^https?$/ }).optional(),
  lastModified: timestampSchema.optional(),
});

const deployFunction = {
  description:
    'Create a function from a zip archive, or replace the code of an existing one of that name (and its settings, where given). Safe to repeat with the same input.',
  input: z.strictObject({
    name: functionNameSchema,
    zipBase64: functionZipSchema,
    runtime: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .describe('Runtime in the provider’s terms, e.g. "nodejs22.x" (Lambda); required by Lambda when creating.'),
    handler: z.string().min(1).max(128).optional().describe('Entry point, e.g. "index.handler" (Lambda) or "handler" (Cloud Functions).'),
    memoryMb: z.number().int('must be a whole number').min(128, 'must be at least 128').max(10_240, 'must be at most 10240').optional(),
    timeoutSeconds: z.number().int('must be a whole number').min(1, 'must be at least 1').max(900, 'must be at most 900').optional(),
    environment: z
      .record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment names must be letters, digits and "_"'), z.string().max(4096))
      .optional()
      .describe('Environment variables for the function, e.g. { "STAGE": "prod" }.'),
  }),
  output: functionInfoSchema,
  hints: { readOnly: false, destructive: true, idempotent: true },
  resource: touches('write', (input: { name: string }) => [input.name]),
};

const invokeFunction = {
  description:
    'Run a function with a JSON payload. "sync" waits for its result; "async" queues the event and returns at once. A function that throws returns functionError rather than failing the call.',
  input: z.strictObject({
    name: functionNameSchema,
    payload: z.json().optional().describe('The JSON event the function receives; default: none (null).'),
    mode: z.enum(['sync', 'async']).default('sync').describe('"sync" waits for the result, "async" queues it; default "sync".'),
  }),
  output: z.object({
    /** The status code the platform reported (Lambda 200/202, the HTTP status of an HTTP trigger). */
    statusCode: z.number().int(),
    /** The function's result (parsed JSON, or the text it returned); absent for async calls. */
    result: z.json().optional(),
    /** Set when the function itself failed: its error type or message. */
    functionError: z.string().optional(),
  }),
  // Invoking runs user code with unknown effects: never retried without an idempotency key.
  hints: { readOnly: false, destructive: false, idempotent: false },
  resource: touches('read', (input: { name: string }) => [input.name]),
};

const getFunction = {
  description: 'Read a function’s state and settings. Fails with not_found when it does not exist.',
  input: z.strictObject({ name: functionNameSchema }),
  output: functionInfoSchema,
  hints: { readOnly: true, destructive: false, idempotent: true },
  resource: touches('read', (input: { name: string }) => [input.name]),
};

const listFunctions = {
  description: 'List functions, one page at a time. Pass nextCursor back for the next page; it is absent on the last page.',
  input: z.strictObject({ cursor: pageCursorSchema.optional(), limit: pageLimitSchema(50, 50) }),
  output: z.object({ functions: z.array(functionInfoSchema), nextCursor: z.string().min(1).optional() }),
  hints: { readOnly: true, destructive: false, idempotent: true },
  resource: touches('list'),
};

const deleteFunction = {
  description: 'Delete a function. Fails with not_found when it does not exist.',
  input: z.strictObject({ name: functionNameSchema }),
  output: z.object({ name: z.string() }),
  hints: { readOnly: false, destructive: true, idempotent: false },
  resource: touches('delete', (input: { name: string }) => [input.name]),
};

/**
 * The `functions` capability, version 1: deploy, invoke and list serverless
 * functions, as AWS Lambda, Azure Functions and Google Cloud Functions offer
 * them. Payloads and results are JSON; code travels as a base64 zip.
 */
export const functionsV1 = defineCapability({
  name: 'functions',
  version: 1,
  description: 'Serverless functions: deploy from a zip, invoke sync or async, get, list, delete.',
  operations: { deployFunction, invokeFunction, getFunction, listFunctions, deleteFunction },
  // A function is deployed where the best provider is, and invoked where it was deployed.
  dataPolicy: { write: 'primary', read: 'placement' },
});

/** The operations of {@link functionsV1}. */
export type FunctionsOperations = typeof functionsV1.operations;
/** The name of a {@link functionsV1} operation, e.g. `'invokeFunction'`. */
export type FunctionsOperationName = keyof FunctionsOperations;
/** The input a functions provider receives for an operation: parsed, defaults applied. */
export type FunctionsOperationInput<Name extends FunctionsOperationName> = z.output<FunctionsOperations[Name]['input']>;
/** What a functions provider returns for an operation, and what callers receive. */
export type FunctionsOperationOutput<Name extends FunctionsOperationName> = z.output<FunctionsOperations[Name]['output']>;
/** One function, as `getFunction` and `listFunctions` return it. */
export type FunctionInfo = z.output<typeof functionInfoSchema>;
