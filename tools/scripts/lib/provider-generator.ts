import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { PROVIDER_CATEGORIES } from '@switchyard/core';
import { listLibraryPackages, readPackageManifest } from './workspace.ts';

/** Package names taken by the workspace's own layers, so no provider may use them. */
const RESERVED_IDS = new Set([
  'amqp',
  'cli',
  'core',
  'http',
  'mcp',
  'redis',
  'server',
  'source',
  'store-postgres',
  'store-sqlite',
  'testing',
  'tools',
]);

const templateDirectory = join(import.meta.dirname, '..', '..', 'generators', 'provider', 'files');
const kebabCase = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** A generator input the generator refuses; the message says which and why. */
export class ProviderGeneratorError extends Error {
  override readonly name = 'ProviderGeneratorError';
}

export interface GenerateProviderOptions {
  /** The workspace root to write into. */
  readonly root: string;
  /** The provider id and package suffix, kebab-case: `acme` → `@switchyard/acme`. */
  readonly id: string;
  /** One of core's `PROVIDER_CATEGORIES`; the package goes to `libs/<category>/<id>`. */
  readonly category: string;
  /** Human name; default: the id in title case. */
  readonly displayName?: string | undefined;
  /** The API's public base URL; default: `https://api.<id>.example`. */
  readonly baseURL?: string | undefined;
  /** The provider's documentation (https); default: the package README in the repository. */
  readonly docsUrl?: string | undefined;
}

export interface GeneratedProvider {
  readonly packageName: string;
  readonly relativeDirectory: string;
  /** Files written, relative to the package folder. */
  readonly files: string[];
}

function assertUrl(name: string, value: string, protocols: readonly string[]): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ProviderGeneratorError(`--${name} must be an absolute URL, got "${value}"`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ProviderGeneratorError(`--${name} must use ${protocols.join(' or ')}, got "${value}"`);
  }
  if (/['"`\\\s{}]/.test(value)) {
    throw new ProviderGeneratorError(`--${name} must not contain quotes, braces or spaces`);
  }
}

function validate(options: GenerateProviderOptions): void {
  if (!kebabCase.test(options.id)) {
    throw new ProviderGeneratorError(`--name must be a kebab-case id such as "acme" or "acme-cloud", got "${options.id}"`);
  }
  if (RESERVED_IDS.has(options.id) || options.id.startsWith('store-')) {
    throw new ProviderGeneratorError(`--name "${options.id}" is a Switchyard package of its own`);
  }
  if (!(PROVIDER_CATEGORIES as readonly string[]).includes(options.category)) {
    throw new ProviderGeneratorError(`--category must be one of ${PROVIDER_CATEGORIES.join(', ')}, got "${options.category}"`);
  }
  if (options.displayName !== undefined && !/^[\p{L}\p{N}][\p{L}\p{N} .&-]*$/u.test(options.displayName)) {
    throw new ProviderGeneratorError(`--display-name may hold letters, digits, spaces, ".", "&" and "-", got "${options.displayName}"`);
  }
  if (options.baseURL !== undefined) assertUrl('base-url', options.baseURL, ['https:', 'http:']);
  if (options.docsUrl !== undefined) assertUrl('docs-url', options.docsUrl, ['https:']);
  const packageName = `@switchyard/${options.id}`;
  const taken = listLibraryPackages(options.root).find((entry) => entry.manifest.name === packageName);
  if (taken !== undefined) {
    throw new ProviderGeneratorError(`${packageName} already exists in ${taken.relativeDirectory}`);
  }
}

function listTemplates(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listTemplates(join(directory, entry.name)) : [relative(templateDirectory, join(directory, entry.name))],
  );
}

function render(text: string, values: Record<string, string>, source: string): string {
  const rendered = text.replace(/\{\{(\w+)\}\}/g, (match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`template ${source} uses unknown value ${match}`);
    return value;
  });
  return rendered;
}

/** The range core declares for a dependency, so a generated package asks for the same one. */
function coreDependencyRange(root: string, name: string): string {
  const range = readPackageManifest(join(root, 'libs', 'core')).dependencies?.[name];
  if (range === undefined) throw new Error(`@switchyard/core does not depend on ${name}`);
  return range;
}

/** Writes a new provider package into `libs/<category>/<id>` and returns what it wrote. */
export function generateProvider(options: GenerateProviderOptions): GeneratedProvider {
  validate(options);
  const relativeDirectory = join('libs', options.category, options.id);
  const directory = join(options.root, relativeDirectory);
  if (existsSync(directory)) {
    throw new ProviderGeneratorError(`${relativeDirectory} already exists`);
  }
  const words = options.id.split('-');
  const pascal = words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join('');
  const values: Record<string, string> = {
    id: options.id,
    pascal,
    camel: pascal[0]!.toLowerCase() + pascal.slice(1),
    displayName: options.displayName ?? words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join(' '),
    category: options.category,
    envPrefix: options.id.toUpperCase().replaceAll('-', '_'),
    up: '../'.repeat(relativeDirectory.split('/').length),
    baseURL: (options.baseURL ?? `https://api.${options.id}.example`).replace(/\/+$/, ''),
    docsUrl: options.docsUrl ?? `https://github.com/switchyard-dev/switchyard/tree/main/${relativeDirectory}#readme`,
    coreVersion: readPackageManifest(join(options.root, 'libs', 'core')).version,
    testingVersion: readPackageManifest(join(options.root, 'libs', 'testing')).version,
    httpVersion: readPackageManifest(join(options.root, 'libs', 'http')).version,
    zodRange: coreDependencyRange(options.root, 'zod'),
  };
  const files: string[] = [];
  for (const template of listTemplates(templateDirectory)) {
    const target = render(template.replace(/\.template$/, ''), values, template);
    const text = readFileSync(join(templateDirectory, template), 'utf8');
    const output = template.endsWith('.template') ? render(text, values, template) : text;
    mkdirSync(dirname(join(directory, target)), { recursive: true });
    writeFileSync(join(directory, target), output);
    files.push(target);
  }
  return { packageName: `@switchyard/${options.id}`, relativeDirectory, files: files.sort() };
}
