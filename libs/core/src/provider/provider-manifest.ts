import { CAPABILITY_NAME_PATTERN, type CapabilityName } from '../capabilities/capability';
import { IntegrationError } from '../errors/integration-error';
import { PROVIDER_CATEGORIES, type ProviderCategory } from './provider-category';

const KEBAB_CASE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/** How a provider authenticates. */
export const AUTH_KINDS = ['none', 'api-key', 'bearer', 'basic', 'oauth2', 'jwt', 'signature', 'sdk-chain'] as const;

/** One capability a provider implements, with the operations it supports. */
export interface ProviderCapability {
  readonly name: CapabilityName;
  readonly version: number;
  readonly operations: readonly string[];
}

/** What a provider says about itself: identity, capabilities, auth, limits, costs and docs. */
export interface ProviderManifest {
  readonly id: string;
  readonly name: string;
  readonly category: ProviderCategory;
  readonly docsUrl: string;
  readonly capabilities: readonly ProviderCapability[];
  readonly authKinds: readonly (typeof AUTH_KINDS)[number][];
  readonly rateLimits?: readonly { readonly requests: number; readonly intervalMs: number }[] | undefined;
  readonly costs?: Readonly<Record<string, number>> | undefined;
}

type AuthKind = (typeof AUTH_KINDS)[number];

const MANIFEST_FIELDS = new Set(['id', 'name', 'category', 'docsUrl', 'capabilities', 'authKinds', 'rateLimits', 'costs']);
const CAPABILITY_FIELDS = new Set(['name', 'version', 'operations']);
const RATE_LIMIT_FIELDS = new Set(['requests', 'intervalMs']);

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isPositiveInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value > 0;

/** Collects "path: problem" lines, so one error can name every bad field at once. */
class ManifestProblems {
  readonly lines: string[] = [];

  add(path: string, problem: string): void {
    this.lines.push(`${path}: ${problem}`);
  }

  /** Unknown keys fail, so a typo (`docUrl`) does not pass silently. */
  unknownKeys(path: string, value: Record<string, unknown>, known: ReadonlySet<string>): void {
    for (const key of Object.keys(value)) if (!known.has(key)) this.add(path === '' ? key : `${path}.${key}`, 'is not a manifest field');
  }

  list<Item>(path: string, value: unknown, check: (item: unknown, itemPath: string) => Item | undefined): Item[] | undefined {
    if (!Array.isArray(value)) {
      this.add(path, 'must be an array');
      return undefined;
    }
    return value.map((item, index) => check(item, `${path}.${index}`)).filter((item): item is Item => item !== undefined);
  }
}

function checkCapability(entry: unknown, path: string, problems: ManifestProblems): ProviderCapability | undefined {
  if (!isRecord(entry)) return void problems.add(path, 'must be an object');
  problems.unknownKeys(path, entry, CAPABILITY_FIELDS);
  const { name, version, operations } = entry;
  if (typeof name !== 'string' || !CAPABILITY_NAME_PATTERN.test(name)) {
    problems.add(`${path}.name`, 'must be a lowercase kebab-case capability name, e.g. "storage" or "geocoding"');
  }
  if (!isPositiveInteger(version)) problems.add(`${path}.version`, 'must be a whole number >= 1');
  if (!Array.isArray(operations) || operations.length === 0) problems.add(`${path}.operations`, 'must list at least one operation');
  else {
    operations.forEach((operation, index) => {
      if (typeof operation !== 'string' || operation.length === 0)
        problems.add(`${path}.operations.${index}`, 'must be a non-empty string');
    });
  }
  return { name: name as string, version: version as number, operations: [...((operations as string[] | undefined) ?? [])] };
}

function checkRateLimit(limit: unknown, path: string, problems: ManifestProblems): { requests: number; intervalMs: number } | undefined {
  if (!isRecord(limit)) return void problems.add(path, 'must be an object');
  problems.unknownKeys(path, limit, RATE_LIMIT_FIELDS);
  if (!isPositiveInteger(limit.requests)) problems.add(`${path}.requests`, 'must be a whole number >= 1');
  if (!isPositiveInteger(limit.intervalMs)) problems.add(`${path}.intervalMs`, 'must be a whole number of ms >= 1');
  return { requests: limit.requests as number, intervalMs: limit.intervalMs as number };
}

function checkCosts(costs: unknown, problems: ManifestProblems): Record<string, number> | undefined {
  if (costs === undefined) return undefined;
  if (!isRecord(costs)) return void problems.add('costs', 'must be an object of operation names to US dollars');
  for (const [operation, cost] of Object.entries(costs)) {
    if (typeof cost !== 'number' || !Number.isFinite(cost) || cost < 0) problems.add(`costs.${operation}`, 'must be a number >= 0');
  }
  return { ...(costs as Record<string, number>) };
}

function isHttpsUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Checks a manifest's shape and returns a copy of it (the name trimmed), or
 * throws a `validation` `IntegrationError` whose message names every bad
 * field, e.g. `Invalid provider manifest: category: must be one of ...`.
 * Any well-formed capability name passes here; the hub checks each listed
 * capability and operation against the contracts it knows (the host's and
 * those the provider carries) when a provider is registered.
 */
export function validateProviderManifest(manifest: unknown): ProviderManifest {
  const problems = new ManifestProblems();
  if (!isRecord(manifest)) problems.add('(manifest)', 'must be an object');
  const fields = isRecord(manifest) ? manifest : {};
  problems.unknownKeys('', fields, MANIFEST_FIELDS);
  const { id, name, category, docsUrl, authKinds, rateLimits } = fields;
  if (typeof id !== 'string' || !KEBAB_CASE.test(id)) problems.add('id', 'must be kebab-case, e.g. "github" or "google-cloud"');
  if (typeof name !== 'string' || name.trim().length === 0) problems.add('name', 'must not be empty');
  if (!PROVIDER_CATEGORIES.includes(category as ProviderCategory))
    problems.add('category', `must be one of ${PROVIDER_CATEGORIES.join(', ')}`);
  if (!isHttpsUrl(docsUrl)) problems.add('docsUrl', 'must be an https URL');
  const capabilities = problems.list('capabilities', fields.capabilities, (entry, path) => checkCapability(entry, path, problems));
  problems.list('authKinds', authKinds, (kind, path) => {
    if (!AUTH_KINDS.includes(kind as AuthKind)) problems.add(path, `must be one of ${AUTH_KINDS.join(', ')}`);
    return kind;
  });
  const limits =
    rateLimits === undefined ? undefined : problems.list('rateLimits', rateLimits, (limit, path) => checkRateLimit(limit, path, problems));
  const costs = checkCosts(fields.costs, problems);
  if (problems.lines.length > 0) {
    throw new IntegrationError({
      kind: 'validation',
      message: `Invalid provider manifest: ${problems.lines.join('; ')}`,
      details: problems.lines,
    });
  }
  return {
    id: id as string,
    name: (name as string).trim(),
    category: category as ProviderCategory,
    docsUrl: docsUrl as string,
    capabilities: capabilities!,
    authKinds: [...(authKinds as AuthKind[])],
    ...(limits === undefined ? {} : { rateLimits: limits }),
    ...(costs === undefined ? {} : { costs }),
  };
}
