import { Buffer } from 'node:buffer';
import type { FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { FunctionInfo, FunctionsOperationInput, FunctionsOperationOutput, OperationHandlers } from '@switchyard/core';
import type { functionsV1 } from '@switchyard/core/functions';
import { z } from 'zod';
import type { AwsCall } from './aws-clients';
import { decodePageCursor, pageOf } from './aws-paging';

type LambdaHandlers = OperationHandlers<typeof functionsV1, AwsCall>;

const loadLambda = () => import('@aws-sdk/client-lambda');

/**
 * Lambda timestamps look like `2019-08-14T22:24:21.478+0000` (AWS) or
 * `2026-01-01T03:27:21.051088000Z` (moto); the contract wants ISO 8601 UTC.
 */
export function lambdaTimestamp(value: string | undefined): string | undefined {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:?\d\d)$/.exec(value ?? '');
  if (match === null) return undefined;
  const [, dateTime, fraction = '', zone = 'Z'] = match;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const parsed = new Date(`${dateTime}.${fraction.padEnd(3, '0').slice(0, 3)}${offset}`);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
}

function functionState(configuration: FunctionConfiguration): FunctionInfo['state'] {
  if (configuration.State === 'Failed' || configuration.LastUpdateStatus === 'Failed') return 'failed';
  if (configuration.State === 'Pending' || configuration.LastUpdateStatus === 'InProgress') return 'pending';
  if (configuration.State === 'Active' || configuration.State === undefined) return 'active';
  // Inactive (idle for weeks) and anything newer: the first invoke may fail while it wakes up.
  return 'unknown';
}

function functionInfo(configuration: FunctionConfiguration | undefined, name: string): FunctionInfo {
  const lastModified = lambdaTimestamp(configuration?.LastModified);
  return {
    name: configuration?.FunctionName ?? name,
    ...(configuration?.Runtime === undefined ? {} : { runtime: configuration.Runtime }),
    state: configuration === undefined ? 'unknown' : functionState(configuration),
    ...(lastModified === undefined ? {} : { lastModified }),
  };
}

/** The function's result: parsed JSON, else the text; undefined for an empty payload. */
function parsePayload(payload: Uint8Array | undefined): unknown {
  const text = payload === undefined ? '' : Buffer.from(payload).toString('utf8');
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The fields of a failed function's result (`{ errorType, errorMessage, trace }`) the code reads. */
const functionFailure = z.object({ errorType: z.string().nullish(), errorMessage: z.string().nullish() });

/** What failed: the result's `errorType`, else its `errorMessage`, else Lambda's `FunctionError` (`Unhandled`). */
function functionErrorOf(functionError: string, result: unknown): string {
  const reported = functionFailure.safeParse(result);
  const named = reported.success ? [reported.data.errorType, reported.data.errorMessage] : [];
  return named.find((text) => typeof text === 'string' && text !== '') ?? functionError;
}

/** The settings in `input` that differ from the function's current configuration (all given ones when it is unknown). */
function changedSettings(input: FunctionsOperationInput<'deployFunction'>, current: FunctionConfiguration | undefined) {
  const changes = {
    Runtime: input.runtime !== undefined && input.runtime !== current?.Runtime ? input.runtime : undefined,
    Handler: input.handler !== undefined && input.handler !== current?.Handler ? input.handler : undefined,
    MemorySize: input.memoryMb !== undefined && input.memoryMb !== current?.MemorySize ? input.memoryMb : undefined,
    Timeout: input.timeoutSeconds !== undefined && input.timeoutSeconds !== current?.Timeout ? input.timeoutSeconds : undefined,
  };
  const environmentChanged =
    input.environment !== undefined && JSON.stringify(input.environment) !== JSON.stringify(current?.Environment?.Variables ?? {});
  const given = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  return environmentChanged ? { ...given, Environment: { Variables: input.environment } } : given;
}

/**
 * Replaces an existing function's code, after its settings when any differ.
 * Skipping unchanged settings matters on AWS: each update leaves the function
 * "in progress" for a moment, and a second update then fails with a
 * (retryable) conflict.
 */
async function deployExisting(
  input: FunctionsOperationInput<'deployFunction'>,
  call: AwsCall,
  zip: Buffer,
  current: FunctionConfiguration | undefined,
) {
  const { UpdateFunctionCodeCommand, UpdateFunctionConfigurationCommand } = await loadLambda();
  const lambda = await call.clients.lambda();
  const changes = changedSettings(input, current);
  if (Object.keys(changes).length > 0) {
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: input.name, ...changes }), {
      abortSignal: call.signal,
    });
  }
  return lambda.send(new UpdateFunctionCodeCommand({ FunctionName: input.name, ZipFile: zip }), { abortSignal: call.signal });
}

async function createFunction(input: FunctionsOperationInput<'deployFunction'>, call: AwsCall, zip: Buffer) {
  const { roleArn } = call.settings.lambda;
  if (roleArn === undefined) {
    throw call.errors.invalidInput(
      call.operation,
      `Creating Lambda function "${input.name}" needs an execution role: set lambda.roleArn or AWS_LAMBDA_ROLE_ARN`,
    );
  }
  if (input.runtime === undefined)
    throw call.errors.invalidInput(call.operation, `Creating Lambda function "${input.name}" needs a runtime, e.g. "nodejs22.x"`);
  const { CreateFunctionCommand } = await loadLambda();
  return (await call.clients.lambda()).send(
    new CreateFunctionCommand({
      FunctionName: input.name,
      Role: roleArn,
      Runtime: input.runtime as never,
      Handler: input.handler ?? 'index.handler',
      Code: { ZipFile: zip },
      MemorySize: input.memoryMb,
      Timeout: input.timeoutSeconds,
      ...(input.environment === undefined ? {} : { Environment: { Variables: input.environment } }),
    }),
    { abortSignal: call.signal },
  );
}

/** The `functions` v1 operations on AWS Lambda. */
export const lambdaHandlers: LambdaHandlers = {
  async deployFunction(input, call) {
    const { GetFunctionCommand } = await loadLambda();
    const zip = Buffer.from(input.zipBase64, 'base64');
    const existing = await (
      await call.clients.lambda()
    )
      .send(new GetFunctionCommand({ FunctionName: input.name }), { abortSignal: call.signal })
      .then(
        (output) => ({ configuration: output.Configuration }),
        (error: unknown) => {
          const mapped = call.errors.fromSdk(error, call.operation);
          if (mapped.kind === 'not_found') return undefined;
          throw mapped;
        },
      );
    if (existing !== undefined) return functionInfo(await deployExisting(input, call, zip, existing.configuration), input.name);
    try {
      return functionInfo(await createFunction(input, call, zip), input.name);
    } catch (error) {
      // Created by someone else since GetFunction: replace its code, as a repeat would.
      if (call.errors.fromSdk(error, call.operation).kind !== 'conflict') throw error;
      return functionInfo(await deployExisting(input, call, zip, undefined), input.name);
    }
  },

  async invokeFunction(input, { clients, signal }) {
    const { InvokeCommand } = await loadLambda();
    const output = await (
      await clients.lambda()
    ).send(
      new InvokeCommand({
        FunctionName: input.name,
        InvocationType: input.mode === 'async' ? 'Event' : 'RequestResponse',
        Payload: Buffer.from(JSON.stringify(input.payload ?? null), 'utf8'),
      }),
      { abortSignal: signal },
    );
    const statusCode = output.StatusCode ?? (input.mode === 'async' ? 202 : 200);
    if (input.mode === 'async') return { statusCode };
    const result = parsePayload(output.Payload) as FunctionsOperationOutput<'invokeFunction'>['result'];
    const functionError = output.FunctionError === undefined ? undefined : functionErrorOf(output.FunctionError, result);
    return {
      statusCode,
      ...(result === undefined ? {} : { result }),
      ...(functionError === undefined ? {} : { functionError }),
    };
  },

  async getFunction(input, { clients, signal }) {
    const { GetFunctionCommand } = await loadLambda();
    const output = await (await clients.lambda()).send(new GetFunctionCommand({ FunctionName: input.name }), { abortSignal: signal });
    return functionInfo(output.Configuration, input.name);
  },

  async listFunctions(input, { clients, signal, operation }) {
    const cursor = decodePageCursor(input.cursor, operation);
    const { ListFunctionsCommand } = await loadLambda();
    const output = await (
      await clients.lambda()
    ).send(new ListFunctionsCommand({ Marker: cursor.token, MaxItems: input.limit }), {
      abortSignal: signal,
    });
    const { items, nextCursor } = pageOf(output.Functions ?? [], cursor, input.limit, output.NextMarker);
    const functions = items.map((configuration) => functionInfo(configuration, ''));
    return nextCursor === undefined ? { functions } : { functions, nextCursor };
  },

  async deleteFunction(input, { clients, signal }) {
    const { DeleteFunctionCommand } = await loadLambda();
    await (await clients.lambda()).send(new DeleteFunctionCommand({ FunctionName: input.name }), { abortSignal: signal });
    return { name: input.name };
  },
};
