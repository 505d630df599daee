import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBucketShim, type BucketShimStorage } from './gcs-bucket-shim';

/** Options for {@link startGcsEmulator}. */
export interface GcsEmulatorOptions {
  /** The project id the emulator reports. Default `switchyard-test`. */
  readonly projectId?: string;
  /** Buckets that exist from the start, empty. Default: none. */
  readonly buckets?: readonly string[];
}

/** A running {@link startGcsEmulator}. */
export interface GcsEmulator {
  /** `http://127.0.0.1:<port>`: pass it as the Storage SDK's `apiEndpoint`. */
  readonly url: string;
  /** How many HTTP requests reached the emulator so far (to prove an input was refused locally). */
  requestCount(): number;
  /** Closes the server and its connections and deletes the blobs it wrote. Safe to call twice. */
  stop(): Promise<void>;
}

/** What this wrapper uses of firebase-tools' `StorageEmulator` (firebase-tools ships no stable types for it). */
interface StorageEmulatorInstance {
  readonly adminStorageLayer: BucketShimStorage;
  getName(): string;
}

interface StorageEmulatorArguments {
  projectId: string;
  host: string;
  port: number;
}

type StorageEmulatorClass = new (args: StorageEmulatorArguments) => StorageEmulatorInstance & {
  getPersistenceTmpDir(): string;
};

interface FirebaseToolsStorage {
  readonly StorageEmulator: StorageEmulatorClass;
  readonly createApp: (
    projectId: string,
    emulator: StorageEmulatorInstance,
  ) => Promise<(request: IncomingMessage, response: ServerResponse) => void>;
  readonly EmulatorRegistry: { get(name: string): unknown; set(name: string, instance: unknown): void; clear(name: string): void };
}

const require = createRequire(import.meta.url);

/** Loads the storage emulator's modules only: not the CLI, not the Java rules runtime, not re2. */
function loadFirebaseTools(): FirebaseToolsStorage {
  try {
    const { StorageEmulator } = require('firebase-tools/lib/emulator/storage') as Pick<FirebaseToolsStorage, 'StorageEmulator'>;
    const { createApp } = require('firebase-tools/lib/emulator/storage/server') as Pick<FirebaseToolsStorage, 'createApp'>;
    const { EmulatorRegistry } = require('firebase-tools/lib/emulator/registry') as Pick<FirebaseToolsStorage, 'EmulatorRegistry'>;
    return { StorageEmulator, createApp, EmulatorRegistry };
  } catch (error) {
    throw new Error('The GCS emulator needs firebase-tools 15.34.2: npm install --save-dev --save-exact firebase-tools@15.34.2', {
      cause: error,
    });
  }
}

/**
 * Starts the Cloud Storage emulator from firebase-tools in this process, on
 * 127.0.0.1 and a free port, without its Java rules runtime (the admin API
 * the Storage SDK uses needs no rules). A small shim in front adds what the
 * emulator lacks: bucket create/get/list/delete with real GCS semantics and
 * the `/storage/v1` prefix on copy and patch (see `src/testing/README.md`).
 * Objects live in a fresh temporary folder.
 *
 * @example
 * ```ts
 * const emulator = await startGcsEmulator();
 * const gcp = createGcp({ projectId: 'switchyard-test', storage: { apiEndpoint: emulator.url } });
 * // ...
 * await emulator.stop();
 * ```
 */
export async function startGcsEmulator(options: GcsEmulatorOptions = {}): Promise<GcsEmulator> {
  const firebase = loadFirebaseTools();
  const projectId = options.projectId ?? 'switchyard-test';
  const directory = await mkdtemp(join(tmpdir(), 'switchyard-gcs-'));
  // The emulator's links (selfLink, mediaLink) ask its registry for the port; it is set once the server listens.
  const emulatorArguments: StorageEmulatorArguments = { projectId, host: '127.0.0.1', port: 0 };
  class IsolatedStorageEmulator extends firebase.StorageEmulator {
    // One blob folder per emulator, so parallel test files never share or delete each other's files.
    override getPersistenceTmpDir(): string {
      return directory;
    }
  }
  const emulator = new IsolatedStorageEmulator(emulatorArguments);
  const app = await firebase.createApp(projectId, emulator);
  const shim = createBucketShim({ storage: emulator.adminStorageLayer, buckets: options.buckets ?? [] });
  let requests = 0;
  const server = createServer((request, response) => {
    requests += 1;
    shim(request, response).then(
      (handled) => {
        if (!handled) app(request, response);
      },
      (error: unknown) => {
        response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  emulatorArguments.port = (server.address() as AddressInfo).port;
  firebase.EmulatorRegistry.set(emulator.getName(), emulator);
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${emulatorArguments.port}`,
    requestCount: () => requests,
    stop() {
      stopped ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        if (firebase.EmulatorRegistry.get(emulator.getName()) === emulator) firebase.EmulatorRegistry.clear(emulator.getName());
        await rm(directory, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
