import type { ProviderHealthReport, ServiceHealth } from '@switchyard/core';
import type { GcpErrors } from './gcp-error';
import type { GcpService } from './gcp-services';

async function probe({ capability, probe: run }: GcpService, errors: GcpErrors, signal: AbortSignal): Promise<ServiceHealth> {
  const started = performance.now();
  try {
    await run(signal);
    return { service: capability, reachable: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    const { kind, message } = errors.fromFailure(error, `${capability}.health`);
    return { service: capability, reachable: false, latencyMs: Math.round(performance.now() - started), error: { kind, message } };
  }
}

/** Probes every offered service at once; the report keeps the manifest's order, an unreachable service names its error kind. */
export async function gcpHealthReport(
  services: readonly GcpService[],
  errors: GcpErrors,
  signal: AbortSignal,
): Promise<ProviderHealthReport> {
  return { services: await Promise.all(services.map((service) => probe(service, errors, signal))) };
}
