import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const manifest = (id: string) =>
  JSON.stringify({
    id,
    name: id,
    category: 'cloud',
    docsUrl: `https://example.com/${id}`,
    capabilities: [{ name: 'storage', version: 1, operations: ['putObject'] }],
    authKinds: ['none'],
  });

/** An installed provider package that answers every putObject, and one whose server refuses connections. */
const PACKAGES = [
  {
    folder: 'acme-echo',
    name: 'acme-echo',
    factory: 'createEcho',
    source: `export function createEcho() {
  return {
    specificationVersion: 'v1',
    manifest: ${manifest('echo')},
    async execute(request) {
      return { bucket: request.input.bucket, key: request.input.key, etag: 'echo-etag', size: request.input.body.length };
    },
    async healthCheck() {},
  };
}
`,
  },
  {
    folder: join('@acme', 'switchyard-flaky'),
    name: '@acme/switchyard-flaky',
    factory: 'createFlaky',
    source: `const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
export function createFlaky() {
  return {
    specificationVersion: 'v1',
    manifest: ${manifest('flaky')},
    async execute() { throw refused(); },
    async healthCheck() { throw refused(); },
  };
}
`,
  },
];

/** Writes the two fake provider packages into `<directory>/node_modules`, as npm would install them. */
export function installFakeProviderPackages(directory: string): void {
  for (const entry of PACKAGES) {
    const folder = join(directory, 'node_modules', entry.folder);
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, 'package.json'),
      JSON.stringify({
        name: entry.name,
        version: '1.2.3',
        type: 'module',
        main: 'index.js',
        switchyard: { provider: entry.name === 'acme-echo' ? 'echo' : 'flaky', factory: entry.factory, category: 'cloud' },
      }),
    );
    writeFileSync(join(folder, 'index.js'), entry.source);
  }
  mkdirSync(join(directory, 'node_modules', 'unrelated'), { recursive: true });
  writeFileSync(join(directory, 'node_modules', 'unrelated', 'package.json'), JSON.stringify({ name: 'unrelated', version: '1.0.0' }));
}
