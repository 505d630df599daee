import {
  computeV1,
  functionsV1,
  storageV1,
  type CapabilityContract,
  type CapabilityHandlers,
  type OperationHandler,
} from '@switchyard/core';
import type { AwsCall, AwsClients } from './aws-clients';
import { ec2Handlers } from './aws-ec2';
import { awsError } from './aws-error';
import { lambdaHandlers } from './aws-lambda';
import { checkS3Input, s3Handlers } from './aws-s3';
import type { AwsCapability, ResolvedAwsSettings } from './aws-settings';

type Handler = (input: never, call: AwsCall) => Promise<unknown>;

interface CapabilityBinding {
  readonly contract: CapabilityContract;
  readonly handlers: Readonly<Record<string, Handler>>;
  /** Provider rules the contract does not cover; throws a `validation` error. */
  readonly check?: (operation: string, input: never) => void;
}

const BINDINGS: Readonly<Record<AwsCapability, CapabilityBinding>> = {
  storage: { contract: storageV1, handlers: s3Handlers, check: checkS3Input },
  functions: { contract: functionsV1, handlers: lambdaHandlers },
  compute: { contract: computeV1, handlers: ec2Handlers },
};

/**
 * A capability's handlers for `defineProvider`: each runs the capability's
 * own input check, then its handler with an {@link AwsCall}, and classifies
 * whatever the SDK throws (see `awsError`).
 */
export function awsCapability(capability: AwsCapability, clients: AwsClients, settings: ResolvedAwsSettings): CapabilityHandlers {
  const { contract, handlers, check } = BINDINGS[capability];
  const adapted = Object.entries(handlers).map(([name, handler]): [string, OperationHandler] => {
    const operation = `${contract.name}.${name}`;
    return [
      name,
      async (input, { signal }) => {
        check?.(operation, input);
        return handler(input, { clients, settings, signal, operation }).catch((error: unknown) => {
          throw awsError(error, operation);
        });
      },
    ];
  });
  return { contract, handlers: Object.fromEntries(adapted) };
}
