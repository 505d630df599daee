import { generateKeyPairSync } from 'node:crypto';
import { IntegrationError, redactText, SecretSet, type CredentialRefreshEvent } from '@switchyard/core';
import { createCredentialManager, createMemoryStore } from '@switchyard/platform';
import { createCallContext } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubFake, type GithubFake } from './__peers__/github-fake';
import { createInstallationTokenSource } from './github-app-auth';
import { createGithubErrors } from './github-error';
import { createGithub } from './index';

const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const app = { appId: '4242', privateKey: keys.privateKey, installationId: 77 };
let fake: GithubFake;
let shortLived: GithubFake;

beforeAll(async () => {
  [fake, shortLived] = await Promise.all([
    startGithubFake({ tokens: [], app: { appId: '4242', publicKey: keys.publicKey, installationId: 77 } }),
    // Tokens that expire in 30 s: inside the one-minute margin, so every call needs a new one.
    startGithubFake({ tokens: [], app: { appId: '4242', publicKey: keys.publicKey, installationId: 77 }, installationTokenSeconds: 30 }),
  ]);
});

afterAll(async () => {
  await Promise.all([fake?.close(), shortLived?.close()]);
});

function projects(provider: ReturnType<typeof createGithub>) {
  return provider.execute({ capability: 'issues', operation: 'listProjects', input: { limit: 10 } }, createCallContext()) as Promise<{
    projects: { id: string }[];
  }>;
}

describe('GitHub App authentication', () => {
  it('signs an RS256 JWT, exchanges it for an installation token once, and lists the installation’s repositories', async () => {
    const github = createGithub({ baseURL: fake.url, app });
    const [first, second] = await Promise.all([projects(github), projects(github)]);
    await projects(github);
    expect(first.projects.map((project) => project.id)).toContain(fake.repository);
    expect(second).toEqual(first);
    expect(fake.installationTokens, 'one exchange serves concurrent and later calls').toHaveLength(1);
    const exchange = fake.requests.find((request) => request.path === '/app/installations/77/access_tokens');
    expect(exchange?.headers.authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    const listing = fake.requests.filter((request) => request.path.startsWith('/installation/repositories'));
    expect(listing.map((request) => request.headers.authorization)).toEqual(Array(3).fill(`token ${fake.installationTokens[0]}`));
  });

  it('gets a new installation token when the current one is within a minute of expires_at, replacing the old one in its secrets', async () => {
    const github = createGithub({ baseURL: shortLived.url, app });
    await projects(github);
    const size = github.secrets?.size;
    await projects(github);
    expect(shortLived.installationTokens).toHaveLength(2);
    expect(github.secrets?.size, 'one installation token is kept, not one per renewal').toBe(size);
  });

  it('redacts the installation token in use and forgets the one it replaced', async () => {
    const secrets = new SecretSet();
    const issued = ['first-installation-token-0123', 'second-installation-token-4567'];
    const source = createInstallationTokenSource({
      app,
      secrets,
      errors: createGithubErrors(secrets),
      exchange: () => Promise.resolve({ token: issued.shift() ?? '', expiresAt: Date.now() + 3_600_000 }),
    });
    const first = await source.token();
    expect(redactText(`sent ${first}`, secrets)).toBe('sent [REDACTED]');
    source.invalidate();
    const second = await source.token();
    expect(secrets.size).toBe(1);
    expect(redactText(`${first} ${second}`, secrets)).toBe(`${first} [REDACTED]`);
  });

  it('fails with auth, never showing the key, when GitHub refuses the JWT', async () => {
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const error = await projects(createGithub({ baseURL: fake.url, app: { ...app, privateKey: other.privateKey } })).catch(
      (failure: unknown) => failure,
    );
    expect(IntegrationError.isInstance(error) && { kind: error.kind, retryable: error.isRetryable }).toEqual({
      kind: 'auth',
      retryable: false,
    });
    const everything = JSON.stringify({ message: (error as Error).message, json: (error as IntegrationError).toJSON() });
    expect(everything).not.toContain(other.privateKey.split('\n')[1]);
  });

  it('fails with auth, not retryable, when GitHub does not know the installation (its 404)', async () => {
    const error = await projects(createGithub({ baseURL: fake.url, app: { ...app, installationId: 78 } })).catch(
      (failure: unknown) => failure,
    );
    expect(IntegrationError.isInstance(error) && { kind: error.kind, retryable: error.isRetryable, statusCode: error.statusCode }).toEqual({
      kind: 'auth',
      retryable: false,
      statusCode: 404,
    });
  });

  it('fails with auth before any request when the private key is not a usable PEM key', async () => {
    const before = fake.requests.length;
    const error = await projects(createGithub({ baseURL: fake.url, app: { ...app, privateKey: 'not a pem key at all' } })).catch(
      (failure: unknown) => failure,
    );
    expect(IntegrationError.isInstance(error) && { kind: error.kind, message: error.message }).toEqual({
      kind: 'auth',
      message: 'github: the app private key is not a usable PEM RSA key',
    });
    expect(fake.requests.length).toBe(before);
  });

  it('keeps the installation token in the credential vault: one refresh shared by two provider objects', async () => {
    const store = createMemoryStore();
    await store.integrations.create({ id: 'github-acme', providerId: 'github', name: 'GitHub (acme)' });
    const refreshes: CredentialRefreshEvent[] = [];
    const manager = createCredentialManager({ store, keys: { current: { id: 'k1', secret: Buffer.alloc(32, 7).toString('base64') } } });
    manager.onRefresh((event) => refreshes.push(event));
    const before = fake.installationTokens.length;
    const settings = { baseURL: fake.url, app, credentials: { manager, integrationId: 'github-acme' } };
    await projects(createGithub(settings));
    const second = createGithub(settings);
    const size = second.secrets?.size ?? 0;
    await projects(second);
    expect(fake.installationTokens.length - before).toBe(1);
    expect(second.secrets?.size, 'the token another provider object refreshed joins this one’s secrets').toBe(size + 1);
    expect(refreshes.map((event) => event.outcome)).toEqual(['refreshed']);
    const sealed = JSON.stringify(await store.credentials.list?.({ integrationId: 'github-acme' }));
    expect(sealed, 'the vault holds the token sealed, not in clear').not.toContain(fake.installationTokens.at(-1));
  });
});
