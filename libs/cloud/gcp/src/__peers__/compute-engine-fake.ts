import instanceFixture from '../__fixtures__/compute-instance.json' with { type: 'json' };
import operationFixture from '../__fixtures__/compute-operation.json' with { type: 'json' };
import { googleError, startGoogleApiFake, type FakeRequest, type FakeResponse, type GoogleApiFake } from './google-api-fake';

/** Options for {@link startComputeEngineFake}. */
export interface ComputeEngineFakeOptions {
  readonly project: string;
  /** Zones that exist. */
  readonly zones: readonly string[];
  /** How long STAGING and STOPPING last before RUNNING and TERMINATED. Default 150 ms. */
  readonly transitionMs?: number;
  /** The service account's public key, to verify token assertions. Default: signatures unchecked. */
  readonly publicKeyPem?: string;
}

/** A running {@link startComputeEngineFake}. */
export interface ComputeEngineFake extends GoogleApiFake {
  /** `<url>/compute/v1`: the provider's `compute.baseURL`. */
  readonly baseURL: string;
  /** Adds an instance in `status` (from the instance fixture) and returns its id, "zone/name". */
  addInstance(zone: string, name: string, status: 'RUNNING' | 'TERMINATED'): string;
}

interface FakeInstance {
  readonly zone: string;
  readonly name: string;
  status: string;
  transition?: { readonly to: string; readonly at: number };
}

const PAGE_TOKEN_PREFIX = 'offset-';

/**
 * A Compute Engine v1 wire-protocol fake on 127.0.0.1, from the REST
 * reference (https://cloud.google.com/compute/docs/reference/rest/v1/instances):
 * `instances.list` per zone and `instances.aggregatedList` with `filter`
 * (`status = X`, OR-ed), `maxResults` and `pageToken`; `instances.get`;
 * `instances.start` and `instances.stop` answering with a zonal Operation and
 * moving through STAGING/STOPPING to RUNNING/TERMINATED after `transitionMs`.
 * Instances are the documented Instance resource (`__fixtures__/compute-instance.json`).
 */
export async function startComputeEngineFake(options: ComputeEngineFakeOptions): Promise<ComputeEngineFake> {
  const transitionMs = options.transitionMs ?? 150;
  const instances = new Map<string, FakeInstance>();
  const prefix = `/compute/v1/projects/${options.project}`;
  const link = (path: string) => `https://www.googleapis.com/compute/v1/projects/${options.project}/${path}`;

  function settle(instance: FakeInstance): FakeInstance {
    if (instance.transition !== undefined && Date.now() >= instance.transition.at) {
      instance.status = instance.transition.to;
      delete instance.transition;
    }
    return instance;
  }

  function resource(instance: FakeInstance) {
    return {
      ...instanceFixture,
      id: String(1_000_000 + [...instances.keys()].indexOf(`${instance.zone}/${instance.name}`)),
      name: instance.name,
      status: instance.status,
      zone: link(`zones/${instance.zone}`),
      machineType: link(`zones/${instance.zone}/machineTypes/e2-small`),
      selfLink: link(`zones/${instance.zone}/instances/${instance.name}`),
    };
  }

  function matching(query: URLSearchParams, zone?: string): FakeInstance[] {
    const statuses = [...(query.get('filter') ?? '').matchAll(/status\s*=\s*"?([A-Z_]+)"?/g)].map((match) => match[1]);
    return [...instances.values()]
      .map(settle)
      .filter(
        (instance) => (zone === undefined || instance.zone === zone) && (statuses.length === 0 || statuses.includes(instance.status)),
      );
  }

  function page<Item>(items: readonly Item[], query: URLSearchParams): { items: Item[]; nextPageToken?: string } {
    const token = query.get('pageToken');
    const offset = token === null ? 0 : Number(token.slice(PAGE_TOKEN_PREFIX.length));
    const size = Math.min(Number(query.get('maxResults') ?? 500), 500);
    const slice = items.slice(offset, offset + size);
    return offset + size < items.length ? { items: slice, nextPageToken: `${PAGE_TOKEN_PREFIX}${offset + size}` } : { items: slice };
  }

  function zoneMissing(zone: string): FakeResponse | undefined {
    return options.zones.includes(zone)
      ? undefined
      : googleError(404, 'NOT_FOUND', `The resource 'projects/${options.project}/zones/${zone}' was not found`);
  }

  function route(request: FakeRequest): FakeResponse | undefined {
    if (!request.path.startsWith(`${prefix}/`)) return undefined;
    const rest = request.path.slice(prefix.length);
    if (request.method === 'GET' && rest === '/aggregated/instances') {
      const listed = page(matching(request.query), request.query);
      const items: Record<string, unknown> = {};
      for (const zone of options.zones) {
        const inZone = listed.items.filter((instance) => instance.zone === zone).map(resource);
        items[`zones/${zone}`] =
          inZone.length > 0
            ? { instances: inZone }
            : { warning: { code: 'NO_RESULTS_ON_PAGE', message: 'There are no results for scope on this page.' } };
      }
      return {
        status: 200,
        body: {
          kind: 'compute#instanceAggregatedList',
          items,
          ...(listed.nextPageToken === undefined ? {} : { nextPageToken: listed.nextPageToken }),
        },
      };
    }
    const list = /^\/zones\/([^/]+)\/instances$/.exec(rest);
    if (request.method === 'GET' && list?.[1] !== undefined) {
      const missing = zoneMissing(list[1]);
      if (missing !== undefined) return missing;
      const listed = page(matching(request.query, list[1]), request.query);
      return {
        status: 200,
        body: {
          kind: 'compute#instanceList',
          items: listed.items.map(resource),
          ...(listed.nextPageToken === undefined ? {} : { nextPageToken: listed.nextPageToken }),
        },
      };
    }
    const one = /^\/zones\/([^/]+)\/instances\/([^/]+?)(?:\/(start|stop))?$/.exec(rest);
    if (one?.[1] === undefined || one[2] === undefined) return undefined;
    const [zone, name, action] = [one[1], one[2], one[3]];
    const missing = zoneMissing(zone);
    if (missing !== undefined) return missing;
    const instance = instances.get(`${zone}/${name}`);
    if (instance === undefined)
      return googleError(404, 'NOT_FOUND', `The resource 'projects/${options.project}/zones/${zone}/instances/${name}' was not found`);
    settle(instance);
    if (request.method === 'GET' && action === undefined) return { status: 200, body: resource(instance) };
    if (request.method !== 'POST' || action === undefined) return undefined;
    if (action === 'start' && instance.status === 'TERMINATED') {
      instance.status = 'STAGING';
      instance.transition = { to: 'RUNNING', at: Date.now() + transitionMs };
    }
    if (action === 'stop' && instance.status === 'RUNNING') {
      instance.status = 'STOPPING';
      instance.transition = { to: 'TERMINATED', at: Date.now() + transitionMs };
    }
    return {
      status: 200,
      body: {
        ...operationFixture,
        operationType: action,
        zone: link(`zones/${zone}`),
        targetLink: link(`zones/${zone}/instances/${name}`),
        status: 'RUNNING',
      },
    };
  }

  const fake = await startGoogleApiFake({
    routes: [route],
    ...(options.publicKeyPem === undefined ? {} : { publicKeyPem: options.publicKeyPem }),
  });
  return {
    ...fake,
    baseURL: `${fake.url}/compute/v1`,
    addInstance(zone, name, status) {
      instances.set(`${zone}/${name}`, { zone, name, status });
      return `${zone}/${name}`;
    },
  };
}
