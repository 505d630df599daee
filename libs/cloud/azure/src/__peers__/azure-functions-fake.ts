import { randomBytes } from 'node:crypto';
import { armError, startFakeServer, type FakeEntraOptions, type FakeReply, type FakeRequest, type FakeServer } from './azure-fake-server';

/** Options for {@link startAzureFunctionsFake}. */
export interface AzureFunctionsFakeOptions extends Partial<FakeEntraOptions> {
  readonly subscriptionId?: string;
  readonly resourceGroup?: string;
  readonly appName?: string;
  /** Functions per list page before a `nextLink`. Default 2. */
  readonly pageSize?: number;
}

/** A running Azure Functions fake: Resource Manager, the Entra token endpoint and the app's HTTP host on one port. */
export interface AzureFunctionsFake extends FakeServer {
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly appName: string;
  readonly credentials: FakeEntraOptions;
  /** The app's default host key, accepted by every function. */
  readonly hostKey: string;
  /** Function-level keys, by function name. */
  readonly functionKeys: ReadonlyMap<string, string>;
  /** Marks a function disabled (it then answers 404 on invoke). */
  disable(name: string): void;
  /** Makes the next invocation of `name` throw inside the function (the host answers 500). */
  crashNext(name: string): void;
}

interface DeployedFunction {
  readonly name: string;
  readonly files: Record<string, string>;
  readonly config: unknown;
  readonly language: string;
  isDisabled: boolean;
}

const API_VERSION = '2024-04-01';

/**
 * A wire-protocol fake of Azure Functions, built from the App Service REST
 * reference (`Microsoft.Web/sites/{app}/functions`, api-version 2024-04-01)
 * and the Functions HTTP trigger docs, with the shapes in `src/__fixtures__/`:
 * PUT (201 new, 200 replaced), GET, list with `nextLink`, DELETE (204, 404
 * when missing), ARM error envelopes; and the app host's
 * `POST /api/{name}`, which needs `x-functions-key` (401 without the host key
 * or the function's key) and echoes the JSON payload, like the contract
 * suite's echo function. Your code does not run. Binds 127.0.0.1 only.
 */
export async function startAzureFunctionsFake(options: AzureFunctionsFakeOptions = {}): Promise<AzureFunctionsFake> {
  const subscriptionId = options.subscriptionId ?? '00000000-0000-0000-0000-0000000f0f0f';
  const resourceGroup = options.resourceGroup ?? 'switchyard-functions-rg';
  const appName = options.appName ?? 'switchyard-echo-app';
  const credentials: FakeEntraOptions = {
    tenantId: options.tenantId ?? '11111111-2222-3333-4444-666666666666',
    clientId: options.clientId ?? 'switchyard-functions-client',
    clientSecret: options.clientSecret ?? 'fake-client-secret-for-functions',
  };
  const pageSize = options.pageSize ?? 2;
  const hostKey = randomBytes(30).toString('base64url');
  const functionKeys = new Map<string, string>();
  const functions = new Map<string, DeployedFunction>();
  const crashing = new Set<string>();
  const sitePath = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.Web/sites/${appName}`;
  const siteId = sitePath;
  let origin = '';

  function envelope(deployed: DeployedFunction) {
    return {
      id: `${siteId}/functions/${deployed.name}`,
      name: `${appName}/${deployed.name}`,
      type: 'Microsoft.Web/sites/functions',
      properties: {
        name: deployed.name,
        function_app_id: siteId,
        script_root_path_href: `${origin}/admin/vfs/site/wwwroot/${deployed.name}/`,
        config_href: `${origin}/admin/vfs/site/wwwroot/${deployed.name}/function.json`,
        href: `${origin}/admin/functions/${deployed.name}`,
        config: deployed.config,
        invoke_url_template: `${origin}/api/${deployed.name.toLowerCase()}`,
        language: deployed.language,
        isDisabled: deployed.isDisabled,
      },
    };
  }

  function notFound(name: string): FakeReply {
    return armError(404, 'NotFound', `Error retrieving function ${name}.`);
  }

  function invoke(request: FakeRequest): FakeReply | undefined {
    const name = decodeURIComponent(request.url.pathname.slice('/api/'.length)).toLowerCase();
    const deployed = [...functions.values()].find((candidate) => candidate.name.toLowerCase() === name);
    if (deployed === undefined || deployed.isDisabled) return { status: 404 };
    const key = request.headers['x-functions-key'] ?? request.url.searchParams.get('code') ?? undefined;
    if (key !== hostKey && key !== functionKeys.get(deployed.name)) return { status: 401 };
    if (request.method !== 'POST') return { status: 404 };
    if (crashing.delete(deployed.name)) return { status: 500 };
    if (request.body === '') return { status: 204 };
    try {
      return { status: 200, body: JSON.parse(request.body) as unknown };
    } catch {
      return { status: 200, body: request.body };
    }
  }

  function manage(request: FakeRequest): FakeReply | undefined {
    const { pathname, searchParams } = request.url;
    if (!pathname.startsWith(`${sitePath}/functions`)) {
      return pathname.startsWith('/subscriptions/')
        ? armError(
            404,
            'ResourceNotFound',
            `The Resource 'Microsoft.Web/sites/${pathname.split('/')[8] ?? ''}' under resource group '${pathname.split('/')[4] ?? ''}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
          )
        : undefined;
    }
    if (searchParams.get('api-version') !== API_VERSION) {
      return armError(400, 'InvalidApiVersionParameter', `The api-version '${searchParams.get('api-version') ?? ''}' is invalid.`);
    }
    if (pathname === `${sitePath}/functions` && request.method === 'GET') {
      const all = [...functions.values()].sort((left, right) => left.name.localeCompare(right.name));
      const skip = Number(searchParams.get('$skiptoken') ?? '0');
      const value = all.slice(skip, skip + pageSize).map(envelope);
      const nextLink =
        skip + pageSize < all.length ? `${origin}${sitePath}/functions?api-version=${API_VERSION}&$skiptoken=${skip + pageSize}` : null;
      return { status: 200, body: { value, nextLink, id: null } };
    }
    const name = decodeURIComponent(pathname.slice(`${sitePath}/functions/`.length));
    if (name === '' || name.includes('/')) return undefined;
    const existing = functions.get(name);
    if (request.method === 'GET') return existing === undefined ? notFound(name) : { status: 200, body: envelope(existing) };
    if (request.method === 'DELETE') {
      if (existing === undefined) return notFound(name);
      functions.delete(name);
      functionKeys.delete(name);
      return { status: 204 };
    }
    if (request.method !== 'PUT') return undefined;
    let body: { properties?: { config?: unknown; files?: unknown; language?: unknown } };
    try {
      body = JSON.parse(request.body) as typeof body;
    } catch {
      return armError(400, 'BadRequest', 'The request body is not valid JSON.');
    }
    const files = body.properties?.files;
    if (typeof files !== 'object' || files === null || Object.keys(files).length === 0) {
      return armError(400, 'BadRequest', 'properties.files must hold the function’s files.');
    }
    const deployed: DeployedFunction = {
      name,
      files: files as Record<string, string>,
      config: body.properties?.config ?? {},
      language: typeof body.properties?.language === 'string' ? body.properties.language : 'node',
      isDisabled: false,
    };
    functions.set(name, deployed);
    if (!functionKeys.has(name)) functionKeys.set(name, randomBytes(30).toString('base64url'));
    return { status: existing === undefined ? 201 : 200, body: envelope(deployed) };
  }

  const server = await startFakeServer(
    credentials,
    (request) => (request.url.pathname.startsWith('/api/') ? invoke(request) : manage(request)),
    (request) => request.url.pathname.startsWith('/api/'),
  );
  origin = server.url;
  return {
    ...server,
    subscriptionId,
    resourceGroup,
    appName,
    credentials,
    hostKey,
    functionKeys,
    disable(name) {
      const deployed = functions.get(name);
      if (deployed !== undefined) deployed.isDisabled = true;
    },
    crashNext: (name) => crashing.add(name),
  };
}
