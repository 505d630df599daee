import type { Storage } from '@google-cloud/storage';
import type { GcpContext } from './gcp-context';

/**
 * The Storage SDK client, created on the first storage call: the SDK is
 * imported then, with the resolved credentials, the project and
 * `storage.apiEndpoint`, and its own retries off (the hub's router retries).
 * A failed creation is not cached, so the next call tries again.
 */
export function lazyStorageClient({ settings, credentials, projectId }: GcpContext): () => Promise<Storage> {
  let client: Promise<Storage> | undefined;
  const create = async (): Promise<Storage> => {
    const resolved = credentials();
    const { Storage: StorageClient } = await import('@google-cloud/storage');
    const project = projectId();
    return new StorageClient({
      ...(project === undefined ? {} : { projectId: project }),
      ...(settings.storage?.apiEndpoint === undefined ? {} : { apiEndpoint: settings.storage.apiEndpoint }),
      ...(resolved.serviceAccount !== undefined
        ? { credentials: { client_email: resolved.serviceAccount.clientEmail, private_key: resolved.serviceAccount.privateKey } }
        : resolved.keyFilename !== undefined
          ? { keyFilename: resolved.keyFilename }
          : {}),
      retryOptions: { autoRetry: false, maxRetries: 0 },
    });
  };
  return () =>
    (client ??= create().catch((error: unknown) => {
      client = undefined;
      throw error;
    }));
}
