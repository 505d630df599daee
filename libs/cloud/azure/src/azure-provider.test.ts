import { testProvider } from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { createAzure } from './index';

testProvider({ id: 'azure', category: 'cloud', create: () => createAzure() });

const ENVIRONMENT = ['AZURE_STORAGE_CONNECTION_STRING', 'AZURE_STORAGE_ACCOUNT', 'AZURE_STORAGE_KEY'] as const;

describe('createAzure settings', () => {
  const saved = Object.fromEntries(ENVIRONMENT.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const name of ENVIRONMENT) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  it('offers no capability and reports itself unconfigured without settings or environment', () => {
    for (const name of ENVIRONMENT) delete process.env[name];
    const azure = createAzure();
    expect(azure.manifest.capabilities).toEqual([]);
    expect(azure.isConfigured()).toBe(false);
  });

  it('offers storage from AZURE_STORAGE_ACCOUNT and AZURE_STORAGE_KEY', () => {
    process.env.AZURE_STORAGE_ACCOUNT = 'acme';
    process.env.AZURE_STORAGE_KEY = 'a2V5LWZyb20tZW52aXJvbm1lbnQ=';
    const azure = createAzure();
    expect(azure.manifest.capabilities.map((capability) => capability.name)).toEqual(['storage']);
    expect(azure.isConfigured()).toBe(true);
  });

  it('offers storage from AZURE_STORAGE_CONNECTION_STRING', () => {
    process.env.AZURE_STORAGE_CONNECTION_STRING =
      'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=a2V5;EndpointSuffix=core.windows.net';
    expect(createAzure().manifest.capabilities.map((capability) => capability.name)).toEqual(['storage']);
  });
});
