import type { Hub } from '@switchyard/core';

type Labels = Readonly<Record<string, string>>;

const BUCKETS_SECONDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const BREAKER_VALUE: Readonly<Record<string, number>> = { closed: 0, 'half-open': 1, open: 2 };

const escapeLabel = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labelText = (labels: Labels): string => {
  const entries = Object.entries(labels);
  return entries.length === 0 ? '' : `{${entries.map(([name, value]) => `${name}="${escapeLabel(value)}"`).join(',')}}`;
};

class Counter {
  /** By a cheap key of the label values (the label text is made once per series, not per request). */
  readonly values = new Map<string, { labels: Labels; value: number }>();
  add(labels: Labels, amount = 1, key = Object.values(labels).join('\u0000')): void {
    const entry = this.values.get(key);
    if (entry === undefined) this.values.set(key, { labels, value: amount });
    else entry.value += amount;
  }
}

class Histogram {
  readonly series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  observe(labels: Labels, seconds: number, key = Object.values(labels).join('\u0000')): void {
    let entry = this.series.get(key);
    if (entry === undefined) {
      entry = { labels, counts: BUCKETS_SECONDS.map(() => 0), sum: 0, count: 0 };
      this.series.set(key, entry);
    }
    // Each observation lands in its own bucket; render() adds them up into Prometheus' cumulative buckets.
    let index = 0;
    while (index < BUCKETS_SECONDS.length && seconds > BUCKETS_SECONDS[index]!) index += 1;
    if (index < BUCKETS_SECONDS.length) entry.counts[index]! += 1;
    entry.sum += seconds;
    entry.count += 1;
  }
}

/**
 * The server's Prometheus metrics: HTTP requests by route and status with
 * latency histograms, the hub's requests and failovers (from its events),
 * and each provider's breaker state and call counts (read at scrape time).
 * Labels hold route patterns and ids, never inputs or keys.
 */
export class ServerMetrics {
  private readonly httpRequests = new Counter();
  private readonly httpDurations = new Histogram();
  private readonly hubRequests = new Counter();
  private readonly failovers = new Counter();
  private readonly stopListening: (() => void)[];
  private readonly hub: Hub;

  constructor(hub: Hub) {
    this.hub = hub;
    this.stopListening = [
      hub.events.on('request', (event) =>
        this.hubRequests.add({
          capability: event.capability,
          operation: event.operation,
          provider: event.provider ?? 'none',
          outcome: event.outcome,
        }),
      ),
      hub.events.on('failover', (event) =>
        this.failovers.add({ capability: event.capability, operation: event.operation, from: event.from, to: event.to ?? 'none' }),
      ),
    ];
  }

  /** Records one HTTP request; `route` is the route pattern (`/api/v1/tools/:name`), never the URL. */
  recordHttp(method: string, route: string, status: number, seconds: number): void {
    const series = `${method}\u0000${route}`;
    this.httpRequests.add({ method, route, status: String(status) }, 1, `${series}\u0000${status}`);
    this.httpDurations.observe({ method, route }, seconds, series);
  }

  /** The Prometheus text exposition (version 0.0.4). */
  render(): string {
    const lines: string[] = [];
    const counter = (name: string, help: string, values: Counter) => {
      lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`);
      for (const { labels, value } of values.values.values()) lines.push(`${name}${labelText(labels)} ${value}`);
    };
    counter('switchyard_http_requests_total', 'HTTP requests answered, by method, route pattern and status.', this.httpRequests);
    lines.push(
      '# HELP switchyard_http_request_duration_seconds Time to answer HTTP requests, by method and route pattern.',
      '# TYPE switchyard_http_request_duration_seconds histogram',
    );
    for (const { labels, counts, sum, count } of this.httpDurations.series.values()) {
      let cumulative = 0;
      BUCKETS_SECONDS.forEach((bound, index) => {
        cumulative += counts[index]!;
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
