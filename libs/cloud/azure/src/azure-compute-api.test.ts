import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseResponse } from '@switchyard/http';
import { describe, expect, it } from 'vitest';
import { isoTimestamp, powerState, virtualMachinePageSchema, virtualMachineSchema } from './azure-compute-api';

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(join(import.meta.dirname, '__fixtures__', name), 'utf8'));
}

const context = { provider: 'azure', operation: 'compute.listInstances' };

describe('reading Microsoft.Compute responses', () => {
  it('reads the documented VM with its instance view', () => {
    const machine = parseResponse(virtualMachineSchema, fixture('compute-virtual-machine-get-instance-view.json'), context);
    expect({
      name: machine.name,
      location: machine.location,
      tags: machine.tags,
      vmSize: machine.properties?.hardwareProfile?.vmSize,
      power: powerState(machine),
      launchedAt: isoTimestamp(machine.properties?.timeCreated),
    }).toEqual({
      name: 'myVM',
      location: 'West US',
      tags: { myTag1: 'tagValue1' },
      vmSize: 'Standard_DS3_v2',
      power: { state: 'running', providerState: 'PowerState/running' },
      launchedAt: '2021-06-27T01:02:38.313Z',
    });
  });

  it('reads a list page with its nextLink, and a VM without an instance view as unknown', () => {
    const page = parseResponse(virtualMachinePageSchema, fixture('compute-virtual-machine-list.json'), context);
    expect(page.nextLink).toContain('$skiptoken=2');
    expect(page.value.map((machine) => powerState(machine))).toEqual([{ state: 'unknown', providerState: 'unknown' }]);
  });

  it('maps every documented power state', () => {
    const states = ['running', 'starting', 'stopping', 'stopped', 'deallocating', 'deallocated'].map(
      (word) =>
        powerState({
          id: 'x',
          name: 'x',
          properties: { instanceView: { statuses: [{ code: 'ProvisioningState/succeeded' }, { code: `PowerState/${word}` }] } },
        }).state,
    );
    expect(states).toEqual(['running', 'pending', 'stopping', 'stopped', 'stopping', 'stopped']);
  });

  it('names the field, and never quotes the body, when a response does not match', () => {
    const read = () => parseResponse(virtualMachinePageSchema, { value: [{ name: 'secret-looking-name' }] }, context);
    expect(read).toThrow(/azure: compute\.listInstances returned a response that does not match its schema: field "value\.0\.id"/);
    expect(read).not.toThrow(/secret-looking-name/);
  });
});
