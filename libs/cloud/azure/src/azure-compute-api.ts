import type { InstanceState } from '@switchyard/core';
import { optionalText, record, responseSchema, text } from './azure-api';

/** The fields of a `Microsoft.Compute/virtualMachines` resource this provider reads (with `$expand=instanceView`). */
export interface VirtualMachine {
  readonly id: string;
  readonly name: string;
  readonly location: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
  readonly vmSize: string | undefined;
  readonly timeCreated: string | undefined;
  /** `instanceView.statuses[].code`, e.g. `PowerState/running`. */
  readonly statusCodes: readonly string[];
}

/** Reads one virtual machine resource; unknown fields are ignored. */
export function readVirtualMachine(value: unknown, path: readonly string[] = []): VirtualMachine {
  const resource = record(value, path);
  const properties = resource.properties === undefined ? {} : record(resource.properties, [...path, 'properties']);
  const hardware = properties.hardwareProfile === undefined ? {} : record(properties.hardwareProfile, [...path, 'properties', 'hardwareProfile']);
  const instanceView = properties.instanceView === undefined ? {} : record(properties.instanceView, [...path, 'properties', 'instanceView']);
  const statuses = Array.isArray(instanceView.statuses) ? instanceView.statuses : [];
  const tags = resource.tags === undefined || resource.tags === null ? {} : record(resource.tags, [...path, 'tags']);
  return {
    id: text(resource.id, [...path, 'id']),
    name: text(resource.name, [...path, 'name']),
    location: optionalText(resource.location, [...path, 'location']),
    tags: Object.fromEntries(Object.entries(tags).filter((entry): entry is [string, string] => typeof entry[1] === 'string')),
    vmSize: optionalText(hardware.vmSize, [...path, 'properties', 'hardwareProfile', 'vmSize']),
    timeCreated: optionalText(properties.timeCreated, [...path, 'properties', 'timeCreated']),
    statusCodes: statuses.flatMap((status) => {
      const code = (status as { code?: unknown } | null)?.code;
      return typeof code === 'string' ? [code] : [];
    }),
  };
}

/** {@link readVirtualMachine} as a response schema. */
export const virtualMachineSchema = responseSchema((value) => readVirtualMachine(value));

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
  const code = machine.statusCodes.find((status) => status.startsWith('PowerState/'));
  if (code === undefined) return { state: 'unknown', providerState: machine.statusCodes[0] ?? 'unknown' };
  return { state: POWER_STATES[code.slice('PowerState/'.length).toLowerCase()] ?? 'unknown', providerState: code };
}

/** A time in ARM's format (`2021-06-27T01:02:38.3138469+00:00`) as an ISO UTC timestamp, or undefined. */
export function isoTimestamp(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const time = Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString() : undefined;
}
