import type { InstanceState } from '@switchyard/core';
import { z } from 'zod';
import { armPage } from './azure-arm';

/** The fields of a `Microsoft.Compute/virtualMachines` resource this provider reads (with `$expand=instanceView`). */
export const virtualMachineSchema = z.object({
  id: z.string(),
  name: z.string(),
  location: z.string().nullish(),
  tags: z.record(z.string(), z.string()).nullish(),
  properties: z
    .object({
      hardwareProfile: z.object({ vmSize: z.string().nullish() }).nullish(),
      timeCreated: z.string().nullish(),
      /** `statuses[].code`, e.g. `PowerState/running`. */
      instanceView: z.object({ statuses: z.array(z.object({ code: z.string().nullish() })).nullish() }).nullish(),
    })
    .nullish(),
});

/** A virtual machine as {@link virtualMachineSchema} reads it. */
export type VirtualMachine = z.infer<typeof virtualMachineSchema>;

/** A list page of virtual machines. */
export const virtualMachinePageSchema = armPage(virtualMachineSchema);

const POWER_STATES: Readonly<Record<string, InstanceState>> = {
  running: 'running',
  starting: 'pending',
  stopping: 'stopping',
  deallocating: 'stopping',
  stopped: 'stopped',
  deallocated: 'stopped',
};

/**
 * The machine's power state: its `PowerState/<word>` status code and the
 * contract state it maps to (`starting` → pending, `deallocating` and
 * `stopping` → stopping, `stopped` and `deallocated` → stopped). Without one
 * (e.g. while provisioning), `unknown` and the provisioning status if any.
 */
export function powerState(machine: VirtualMachine): { readonly state: InstanceState; readonly providerState: string } {
  const codes = (machine.properties?.instanceView?.statuses ?? []).flatMap((status) =>
    status.code === undefined || status.code === null ? [] : [status.code],
  );
  const code = codes.find((status) => status.startsWith('PowerState/'));
  if (code === undefined) return { state: 'unknown', providerState: codes[0] ?? 'unknown' };
  return { state: POWER_STATES[code.slice('PowerState/'.length).toLowerCase()] ?? 'unknown', providerState: code };
}

/** A time in ARM's format (`2021-06-27T01:02:38.3138469+00:00`) as an ISO UTC timestamp, or undefined. */
export function isoTimestamp(value: string | null | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  const time = Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}
