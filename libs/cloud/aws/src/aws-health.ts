import type { ProviderHealthReport, ServiceHealth } from '@switchyard/core';
import type { AwsClients } from './aws-clients';
import type { AwsErrors } from './aws-error';
import type { AwsCapability } from './aws-settings';

/** The cheapest read each service offers, proving it answers and accepts the credentials. */
const PROBES: Readonly<Record<AwsCapability, { service: string; probe: (clients: AwsClients, signal: AbortSignal) => Promise<unknown> }>> =
  {
    storage: {
      service: 's3',
      async probe(clients, signal) {
        const { ListBucketsCommand } = await import('@aws-sdk/client-s3');
        return (await clients.s3()).send(new ListBucketsCommand({ MaxBuckets: 1 }), { abortSignal: signal });
      },
    },
    functions: {
      service: 'lambda',
      async probe(clients, signal) {
        const { ListFunctionsCommand } = await import('@aws-sdk/client-lambda');
        return (await clients.lambda()).send(new ListFunctionsCommand({ MaxItems: 1 }), { abortSignal: signal });
      },
    },
    compute: {
      service: 'ec2',
      async probe(clients, signal) {
        const { DescribeInstancesCommand } = await import('@aws-sdk/client-ec2');
        return (await clients.ec2()).send(new DescribeInstancesCommand({ MaxResults: 5 }), { abortSignal: signal });
      },
    },
  };

async function probeService(
  capability: AwsCapability,
  clients: AwsClients,
  errors: AwsErrors,
  signal: AbortSignal,
): Promise<ServiceHealth> {
  const { service, probe } = PROBES[capability];
  const started = performance.now();
  try {
    await probe(clients, signal);
    return { service, reachable: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    const { kind, message } = errors.fromSdk(error, `health.${service}`);
    return { service, reachable: false, latencyMs, error: { kind, message } };
  }
}

/**
 * The infrastructure status: one probe per enabled service (S3 ListBuckets,
 * Lambda ListFunctions, EC2 DescribeInstances), run in parallel. A service
 * that fails is reported unreachable with its error kind and redacted message.
 */
export async function awsHealthReport(
  capabilities: readonly AwsCapability[],
  clients: AwsClients,
  errors: AwsErrors,
  signal: AbortSignal,
): Promise<ProviderHealthReport> {
  const services = await Promise.all(capabilities.map((capability) => probeService(capability, clients, errors, signal)));
  return { services };
}
