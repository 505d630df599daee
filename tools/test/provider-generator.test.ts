import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateProvider, ProviderGeneratorError } from '../scripts/lib/provider-generator.ts';
import { workspaceRoot } from '../scripts/lib/workspace.ts';

let root: string;

beforeEach(() => {
  // A scratch workspace with just what the generator reads: core's, http's and testing's package.json.
  root = mkdtempSync(join(tmpdir(), 'switchyard-generator-'));
  for (const name of ['core', 'http', 'testing']) {
    mkdirSync(join(root, 'libs', name), { recursive: true });
    cpSync(join(workspaceRoot, 'libs', name, 'package.json'), join(root, 'libs', name, 'package.json'));
  }
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function read(path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

describe('generateProvider', () => {
  it('writes a complete provider package into libs/<category>/<id>', () => {
    const created = generateProvider({ root, id: 'acme-cloud', category: 'cloud' });
    expect(created).toEqual({
      packageName: '@switchyard/acme-cloud',
      relativeDirectory: 'libs/cloud/acme-cloud',
      files: [
        'LICENSE',
        'README.md',
        'package.json',
        'src/acme-cloud-api.ts',
        'src/acme-cloud-faults.test.ts',
        'src/acme-cloud-provider.test.ts',
        'src/acme-cloud-provider.ts',
        'src/acme-cloud-settings.ts',
        'src/index.ts',
        'src/version.ts',
        'tsconfig.json',
        'tsup.config.ts',
        'vitest.config.ts',
      ],
    });
    const manifest = JSON.parse(read('libs/cloud/acme-cloud/package.json')) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      name: '@switchyard/acme-cloud',
      sideEffects: false,
      engines: { node: '>=22.19' },
      switchyard: { provider: 'acme-cloud', factory: 'createAcmeCloud', category: 'cloud' },
      nx: { tags: ['type:provider', 'category:cloud'] },
    });
    const provider = read('libs/cloud/acme-cloud/src/acme-cloud-provider.ts');
    expect(provider).toContain('export function createAcmeCloud(settings: AcmeCloudProviderSettings = {})');
    expect(provider).toContain("environmentVariableName: 'ACME_CLOUD_BASE_URL'");
    expect(provider).toContain('return defineProvider({');
    expect(Object.keys(manifest.dependencies as Record<string, string>).sort()).toEqual(['@switchyard/core', '@switchyard/http', 'zod']);
    expect(read('libs/cloud/acme-cloud/src/acme-cloud-faults.test.ts')).toContain('testProviderFaults({');
    expect(read('libs/cloud/acme-cloud/tsup.config.ts')).toContain("'../../../tools/build/tsup-preset.ts'");
    for (const file of created.files) {
      expect(read(`libs/cloud/acme-cloud/${file}`), file).not.toMatch(/\{\{\w+\}\}/);
    }
  });

  it('uses the display name, base URL and docs URL it is given', () => {
    generateProvider({
      root,
      id: 'acme',
      category: 'communication',
      displayName: 'Acme & Co',
      baseURL: 'https://api.acme.com/v2/',
      docsUrl: 'https://docs.acme.com/api',
    });
    const provider = read('libs/communication/acme/src/acme-provider.ts');
    expect(provider).toContain("const DEFAULT_BASE_URL = 'https://api.acme.com/v2';");
    expect(provider).toContain("name: 'Acme & Co'");
    expect(provider).toContain("docsUrl: 'https://docs.acme.com/api'");
    expect(read('libs/communication/acme/README.md')).toContain('[Acme & Co](https://docs.acme.com/api)');
  });

  it.each([
    [{ id: 'Acme' }, /--name must be a kebab-case id/],
    [{ id: 'acme_cloud' }, /--name must be a kebab-case id/],
    [{ id: 'core' }, /is a Switchyard package of its own/],
    [{ id: 'store-mysql' }, /is a Switchyard package of its own/],
    [{ category: 'fintech' }, /--category must be one of ai, analytics, cloud, code, communication, crm/],
    [{ displayName: "Acme'; process.exit()" }, /--display-name may hold/],
    [{ baseURL: 'api.acme.com' }, /--base-url must be an absolute URL/],
    [{ docsUrl: 'http://docs.acme.com' }, /--docs-url must use https:/],
  ])('refuses %o with a clear message', (overrides, message) => {
    const options = { root, id: 'acme', category: 'communication', ...overrides };
    expect(() => generateProvider(options)).toThrow(ProviderGeneratorError);
    expect(() => generateProvider(options)).toThrow(message);
  });

  it('refuses a provider that already exists, and writes nothing over it', () => {
    generateProvider({ root, id: 'acme', category: 'communication' });
    expect(() => generateProvider({ root, id: 'acme', category: 'code' })).toThrow(
      '@switchyard/acme already exists in libs/communication/acme',
    );
  });
});
