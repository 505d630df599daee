import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AzureComputeFake, AzureComputeFakeOptions } from '../__peers__/azure-compute-fake';
import type { AzureFunctionsFake, AzureFunctionsFakeOptions } from '../__peers__/azure-functions-fake';
import { loadTestKit } from './azure-test-kit';

/** Azurite's well-known development account (public, documented by Microsoft; not a secret). */
export const AZURITE_ACCOUNT_NAME = 'devstoreaccount1';
/** Azurite's well-known development account key. */
export const AZURITE_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** A running Azurite blob service from {@link startAzurite}. */
export interface AzuriteBlob {
  /** The blob endpoint, `http://127.0.0.1:<port>/devstoreaccount1`. */
  readonly url: string;
  /** A connection string for the development account at that endpoint. */
  readonly connectionString: string;
  readonly accountName: string;
  readonly accountKey: string;
  /** Stops Azurite; its in-memory data is gone. */
  stop(): Promise<void>;
}

function azuriteBlobMain(): string {
  let packageJson: string;
  try {
    packageJson = createRequire(import.meta.url).resolve('azurite/package.json');
  } catch {
    throw new Error('azurite is not installed: add it as a dev dependency (npm install -D azurite@3.37.0; it needs Node.js >= 22).');
  }
  const main = join(dirname(packageJson), 'dist', 'src', 'blob', 'main.js');
  if (!existsSync(main)) throw new Error(`azurite is installed but its blob service is missing at ${main}`);
  return main;
}

/**
 * Starts Azurite's blob service in memory on a free 127.0.0.1 port, with
 * telemetry off and API-version checks skipped, and waits until it listens.
 * SharedKey signatures are really verified, so a wrong key fails with 403.
 *
 * @example
 * ```ts
 * const azurite = await startAzurite();
 * const azure = createAzure({ storage: { connectionString: azurite.connectionString } });
 * // ...
 * await azurite.stop();
 * ```
 */
export async function startAzurite(): Promise<AzuriteBlob> {
  const { startPeerProcess } = await loadTestKit();
  const main = azuriteBlobMain();
  const peer = await startPeerProcess({
    name: 'azurite',
    command: process.execPath,
    args: (port) => [
      main,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      String(port),
      '--inMemoryPersistence',
      '--disableTelemetry',
      '--skipApiVersionCheck',
      '--silent',
    ],
    missingHint: 'Install it with npm install -D azurite@3.37.0.',
  });
  const url = `${peer.url}/${AZURITE_ACCOUNT_NAME}`;
  return {
    url,
    accountName: AZURITE_ACCOUNT_NAME,
    accountKey: AZURITE_ACCOUNT_KEY,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT_NAME};AccountKey=${AZURITE_ACCOUNT_KEY};BlobEndpoint=${url};`,
    stop: () => peer.stop(),
  };
}

/**
 * A wire-protocol fake of Azure Resource Manager's virtual machine API
 * (Microsoft.Compute, api-version 2024-07-01) with an Entra ID token
 * endpoint, on 127.0.0.1. Needs the optional peer dependency
 * `@switchyard/testing`, so the fake is loaded on the first call.
 */
export async function startAzureComputeFake(options: AzureComputeFakeOptions = {}): Promise<AzureComputeFake> {
  await loadTestKit();
  const fake = await import('../__peers__/azure-compute-fake');
  return fake.startAzureComputeFake(options);
}

/**
 * A wire-protocol fake of Azure Functions (App Service REST, api-version
 * 2024-04-01, and the app host's `POST /api/{name}`), on 127.0.0.1. Needs the
 * optional peer dependency `@switchyard/testing`, so the fake is loaded on
 * the first call.
 */
export async function startAzureFunctionsFake(options: AzureFunctionsFakeOptions = {}): Promise<AzureFunctionsFake> {
  await loadTestKit();
  const fake = await import('../__peers__/azure-functions-fake');
  return fake.startAzureFunctionsFake(options);
}

export type { AzureComputeFake, AzureComputeFakeOptions, FakePowerState } from '../__peers__/azure-compute-fake';
export type { FakeEntraOptions, FakeReply, FakeRequest, FakeServer } from '../__peers__/azure-fake-server';
export type { AzureFunctionsFake, AzureFunctionsFakeOptions } from '../__peers__/azure-functions-fake';
