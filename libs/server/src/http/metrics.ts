import type { Hub } from '@switchyard/core';

type Labels = Readonly<Record<string, string>>;

const BUCKETS_SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BREAKER_VALUE: Readonly<Record<string, number>> = { closed: 0, 'half-open': 1, open: 2 };

const escapeLabel = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels: Labels): string => {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '' : `{${entries.map(([name, value]) => `${name}="${escapeLabel(value)}"`).join(',')}}`;
};

interface Series {
  readonly labels: Labels;
  value: number;
}

function within<Value>(map: Map<string, Value>, key: string, make: () => Value): Value {
  let found = map.get(key);
  if (found === undefined) {
    found = make();
    map.set(key, found);
  }
  return found;
}

// Made once, so a lookup that finds its level allocates nothing.
const seriesByFourth = (): Map<string, Series> => new Map();
const byThird = (): Map<string, Map<string, Series>> => new Map();
const bySecond = (): Map<string, Map<string, Map<string, Series>>> => new Map();

/**
 * A counter with four labels. Its series sit in maps nested by label value,
 * so counting one builds no key string (the values are the hub's own
 * strings, hashed once); the label text is made at scrape time.
 */
class Counter4 {
  readonly series: Series[] = [];
  private readonly names: readonly [string, string, string, string];
  private readonly tree = new Map<string, Map<string, Map<string, Map<string, Series>>>>();

  constructor(names: readonly [string, string, string, string]) {
    this.names = names;
  }

  add(first: string, second: string, third: string, fourth: string): void {
    const leaves = within(within(within(this.tree, first, bySecond), second, byThird), third, seriesByFourth);
    let entry = leaves.get(fourth);
    if (entry === undefined) {
      const [a, b, c, d] = this.names;
      entry = { labels: { [a]: first, [b]: second, [c]: third, [d]: fourth }, value: 0 };
      leaves.set(fourth, entry);
      this.series.push(entry);
    }
    entry.value += 1;
  }
}

/**
 * One route's HTTP numbers: answers by status and a latency histogram. The
 * server finds it once per route, so recording a request allocates nothing.
 */
export class RouteMetrics {
  readonly method: string;
  /** The route pattern (`/api/v1/tools/:name`), never a URL. */
  readonly route: string;
  readonly statuses = new Map<number, number>();
  /** Each observation in its own bucket; render() adds them up into Prometheus' cumulative buckets. */
  readonly buckets: number[] = BUCKETS_SECONDS.map(() => 0);
  sum = 0;
  count = 0;

  constructor(method: string, route: string) {
    this.method = method;
    this.route = route;
  }

  record(status: number, seconds: number): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
    let index = 0;
    while (index < BUCKETS_SECONDS.length && seconds > BUCKETS_SECONDS[index]!) index += 1;
    if (index < BUCKETS_SECONDS.length) this.buckets[index]! += 1;
    this.sum += seconds;
    this.count += 1;
  }
}

/**
 * The server's Prometheus metrics: HTTP requests by route and status with
 * latency histograms, the hub's requests and failovers (from its events),
 * and each provider's breaker state and call counts (read at scrape time).
 * Labels hold route patterns and ids, never inputs or keys.
 */
export class ServerMetrics {
  private readonly routes = new Map<string, RouteMetrics>();
  private readonly hubRequests = new Counter4(['capability', 'operation', 'provider', 'outcome']);
  private readonly failovers = new Counter4(['capability', 'operation', 'from', 'to']);
  private readonly stopListening: (() => void)[];
  private readonly hub: Hub;

  constructor(hub: Hub) {
    this.hub = hub;
    this.stopListening = [
      hub.events.on('request', (event) => this.hubRequests.add(event.capability, event.operation, event.provider ?? 'none', event.outcome)),
      hub.events.on('failover', (event) => this.failovers.add(event.capability, event.operation, event.from, event.to ?? 'none')),
    ];
  }

  /** The numbers of one route (`route` is its pattern, e.g. `/api/v1/tools/:name`): look it up once, record each request on it. */
  route(method: string, route: string): RouteMetrics {
    return within(this.routes, `${method} ${route}`, () => new RouteMetrics(method, route));
  }

  /** The Prometheus text exposition (version 0.0.4). */
  render(): string {
    const lines: string[] = [];
    const counter = (name: string, help: string, values: Counter4) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const { labels, value } of values.series) lines.push(`${name}${labelText(labels)} ${value}`);
    };
    lines.push(
      '# HELP switchyard_http_requests_total HTTP requests answered, by method, route pattern and status.',
      '# TYPE switchyard_http_requests_total counter',
    );
    for (const { method, route, statuses } of this.routes.values()) {
      for (const [status, value] of statuses)
        lines.push(`switchyard_http_requests_total${labelText({ method, route, status: String(status) })} ${value}`);
    }
    lines.push(
      '# HELP switchyard_http_request_duration_seconds Time to answer HTTP requests, by method and route pattern.',
      '# TYPE switchyard_http_request_duration_seconds histogram',
    );
    for (const { method, route, buckets, sum, count } of this.routes.values()) {
      if (count === 0) continue;
      const labels = { method, route };
      let cumulative = 0;
      BUCKETS_SECONDS.forEach((bound, index) => {
        cumulative += buckets[index]!;
        lines.push(`switchyard_http_request_duration_seconds_bucket${labelText({ ...labels, le: String(bound) })} ${cumulative}`);
      });
      lines.push(`switchyard_http_request_duration_seconds_bucket${labelText({ ...labels, le: '+Inf' })} ${count}`);
      lines.push(`switchyard_http_request_duration_seconds_sum${labelText(labels)} ${sum}`);
      lines.push(`switchyard_http_request_duration_seconds_count${labelText(labels)} ${count}`);
    }
    counter('switchyard_hub_requests_total', 'Hub requests finished, by capability, operation, provider and outcome.', this.hubRequests);
    counter('switchyard_hub_failovers_total', 'Times the router left a provider for the next one.', this.failovers);

    const providers = Object.entries(this.hub.metrics());
    lines.push('# HELP switchyard_provider_breaker_state Circuit breaker state: 0 closed, 1 half-open, 2 open.');
    lines.push('# TYPE switchyard_provider_breaker_state gauge');
    for (const [provider, report] of providers) {
      lines.push(`switchyard_provider_breaker_state${labelText({ provider })} ${BREAKER_VALUE[report.breaker.state] ?? 0}`);
    }
    lines.push('# HELP switchyard_provider_calls_total Calls to a provider, by outcome.', '# TYPE switchyard_provider_calls_total counter');
    for (const [provider, report] of providers) {
      lines.push(`switchyard_provider_calls_total${labelText({ provider, outcome: 'success' })} ${report.successes}`);
      lines.push(`switchyard_provider_calls_total${labelText({ provider, outcome: 'failure' })} ${report.failures}`);
    }
    lines.push('# HELP switchyard_provider_in_flight Calls to a provider in flight now.', '# TYPE switchyard_provider_in_flight gauge');
    for (const [provider, report] of providers) lines.push(`switchyard_provider_in_flight${labelText({ provider })} ${report.inFlight}`);
    return `${lines.join('\n')}\n`;
  }

  /** Stops listening to the hub. */
  close(): void {
    for (const stop of this.stopListening) stop();
  }
}
