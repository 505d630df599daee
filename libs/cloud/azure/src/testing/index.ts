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

/** Where {@link startAzurite} listens and keeps its data. */
export interface AzuriteOptions {
  /**
   * A folder Azurite persists its blobs and metadata to (created if missing),
   * so a stop and a start with the same `location` and `port` serve the same
   * blobs. Default: in memory, gone when it stops.
   */
  readonly location?: string;
  /** The 127.0.0.1 port to listen on, e.g. the `port` of an earlier run. Default: a free port. */
  readonly port?: number;
}

/** A running Azurite blob service from {@link startAzurite}. */
export interface AzuriteBlob {
  /** The blob endpoint, `http://127.0.0.1:<port>/devstoreaccount1`. */
  readonly url: string;
  /** The port it listens on; start again with it (and the same `location`) to keep the endpoint. */
  readonly port: number;
  /** A connection string for the development account at that endpoint. */
  readonly connectionString: string;
  readonly accountName: string;
  readonly accountKey: string;
  /** Stops Azurite. Without a `location` its data is gone; with one, it is saved there first. */
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
 * Starts Azurite's blob service on 127.0.0.1 (a free port unless `port` is
 * given), with telemetry off and API-version checks skipped, and waits until
 * it listens. Data lives in memory unless `location` names a folder to
 * persist it to. SharedKey signatures are really verified, so a wrong key
 * fails with 403.
 *
 * @example
 * ```ts
 * const azurite = await startAzurite();
 * const azure = createAzure({ storage: { connectionString: azurite.connectionString } });
 * // ...
 * await azurite.stop();
 * ```
 */
export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteBlob> {
  const { startPeerProcess } = await loadTestKit();
  const main = azuriteBlobMain();
  const persistence = options.location === undefined ? ['--inMemoryPersistence'] : ['--location', options.location];
  const peer = await startPeerProcess({
    name: 'azurite',
    command: process.execPath,
    port: options.port,
    args: (port) => [
      main,
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      String(port),
      ...persistence,
      '--disableTelemetry',
      '--skipApiVersionCheck',
      '--silent',
    ],
    readyOutput: /successfully listens on/,
    missingHint: 'Install it with npm install -D azurite@3.37.0.',
  });
  const url = `${peer.url}/${AZURITE_ACCOUNT_NAME}`;
  return {
    url,
    port: peer.port,
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
