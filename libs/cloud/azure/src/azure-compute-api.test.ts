import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { armPage } from './azure-api';
import { isoTimestamp, powerState, readVirtualMachine } from './azure-compute-api';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__', name), 'utf8'));
}

describe('reading Microsoft.Compute responses', () => {
  it('reads the documented VM with its instance view', () => {
    const machine = readVirtualMachine(fixture('compute-virtual-machine-get-instance-view.json'));
    expect({ ...machine, power: powerState(machine), launchedAt: isoTimestamp(machine.timeCreated) }).toEqual({
      id: '/subscriptions/{subscription-id}/resourceGroups/myResourceGroup/providers/Microsoft.Compute/virtualMachines/myVM',
      name: 'myVM',
      location: 'West US',
      tags: { myTag1: 'tagValue1' },
      vmSize: 'Standard_DS3_v2',
      timeCreated: '2021-06-27T01:02:38.3138469+00:00',
      statusCodes: ['ProvisioningState/succeeded', 'PowerState/running'],
      power: { state: 'running', providerState: 'PowerState/running' },
      launchedAt: '2021-06-27T01:02:38.313Z',
    });
  });

  it('reads a list page with its nextLink, and a VM without an instance view as unknown', () => {
    const page = armPage(readVirtualMachine).safeParse(fixture('compute-virtual-machine-list.json'));
    expect(page.success).toBe(true);
    if (!page.success) return;
    expect(page.data.nextLink).toContain('$skiptoken=2');
    expect(page.data.items.map((machine) => powerState(machine))).toEqual([{ state: 'unknown', providerState: 'unknown' }]);
  });

  it('maps every documented power state', () => {
    const states = ['running', 'starting', 'stopping', 'stopped', 'deallocating', 'deallocated'].map(
      (word) => powerState({ id: 'x', name: 'x', location: undefined, tags: {}, vmSize: undefined, timeCreated: undefined, statusCodes: [`PowerState/${word}`] }).state,
    );
    expect(states).toEqual(['running', 'pending', 'stopping', 'stopped', 'stopping', 'stopped']);
  });

  it('names the field when a response does not match', () => {
    const result = armPage(readVirtualMachine).safeParse({ value: [{ name: 'no-id' }] });
    expect(result.success ? undefined : result.error.issues[0]?.path).toEqual(['value', '0', 'id']);
  });
});
