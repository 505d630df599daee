import { IntegrationError, type Hub } from '@switchyard/core';
import { createIntegrationsService } from '../integrations/integrations-service';
import type { IntegrationRecord } from '../store/store-records';
import type { Store } from '../store/store';
import {
  ALERT_SEVERITIES,
  type AlertRule,
  type AlertSubject,
  type BreakerOpenRule,
  type ErrorRateRule,
  type FailedSyncsRule,
  type HealthBelowRule,
} from './alert-types';

/** A subject for which a rule's condition holds now, and what to tell people. */
export interface RuleFinding {
  readonly subject: AlertSubject;
  readonly message: string;
}

const DEFAULT_ERROR_WINDOW_MS = 300_000;
const DEFAULT_MINIMUM_CALLS = 10;
const DEFAULT_FAILED_SYNCS = 3;
/** Samples kept per provider at most; older ones go first. */
const MAX_SAMPLES = 10_000;

/** Provider call outcomes by time, from the hub's `attempt` events, for error-rate rules. */
export class AttemptWindow {
  private readonly samples = new Map<string, { at: number; failed: boolean }[]>();

  record(provider: string, at: number, failed: boolean): void {
    const list = this.samples.get(provider) ?? [];
    list.push({ at, failed });
    if (list.length > MAX_SAMPLES) list.splice(0, list.length - MAX_SAMPLES);
    this.samples.set(provider, list);
  }

  /** Calls and failures per provider since `since` (epoch ms); drops samples older than `keepSince`. */
  counts(since: number, keepSince: number): Map<string, { calls: number; failures: number }> {
    const result = new Map<string, { calls: number; failures: number }>();
    for (const [provider, list] of this.samples) {
      const firstKept = list.findIndex((sample) => sample.at >= keepSince);
      if (firstKept === -1) list.length = 0;
      else if (firstKept > 0) list.splice(0, firstKept);
      let calls = 0;
      let failures = 0;
      for (const sample of list) {
        if (sample.at < since) continue;
        calls += 1;
        if (sample.failed) failures += 1;
      }
      result.set(provider, { calls, failures });
    }
    return result;
  }
}

/** What rules read. */
export interface RuleContext {
  readonly hub: Hub;
  readonly store: Store;
  readonly attempts: AttemptWindow;
  /** Epoch ms now. */
  readonly now: number;
  /** The longest error-rate window of the rules, for trimming samples. */
  readonly longestWindowMs: number;
}

const invalid = (rule: string, message: string) =>
  new IntegrationError({ kind: 'validation', message: `createAlerts: rule "${rule}": ${message}` });

/** Checks a rule's settings and fills in its name; throws `validation` naming the rule and the field. */
export function checkRule(rule: AlertRule): AlertRule & { readonly name: string } {
  const name = rule.name ?? rule.kind;
  if (!ALERT_SEVERITIES.includes(rule.severity)) throw invalid(name, `severity must be one of ${ALERT_SEVERITIES.join(', ')}`);
  const positive = (value: number | undefined, field: string) => {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) throw invalid(name, `${field} must be a positive number`);
  };
  switch (rule.kind) {
    case 'errorRate':
      if (!(rule.threshold > 0 && rule.threshold <= 1)) throw invalid(name, 'threshold must be a share of calls, above 0 and at most 1');
      positive(rule.windowMs, 'windowMs');
      positive(rule.minimumCalls, 'minimumCalls');
      break;
    case 'failedSyncs':
      if (rule.count !== undefined && !(Number.isInteger(rule.count) && rule.count >= 1))
        throw invalid(name, 'count must be a whole number >= 1');
      break;
    case 'healthBelow':
      if (!(rule.threshold > 0 && rule.threshold <= 100)) throw invalid(name, 'threshold must be a health score, above 0 and at most 100');
      break;
    case 'breakerOpen':
      break;
    default:
      throw invalid(name, `unknown kind "${(rule as { kind: unknown }).kind as string}"`);
  }
  return { ...rule, name };
}

/** The window an error-rate rule looks at, in ms. */
export const errorWindowOf = (rule: ErrorRateRule): number => rule.windowMs ?? DEFAULT_ERROR_WINDOW_MS;

const watched = (integrations: readonly IntegrationRecord[]) => integrations.filter((integration) => integration.status !== 'disabled');
const percent = (share: number) => `${Math.round(share * 100)}%`;

async function errorRate(rule: ErrorRateRule, context: RuleContext): Promise<RuleFinding[]> {
  const windowMs = errorWindowOf(rule);
  const counts = context.attempts.counts(context.now - windowMs, context.now - context.longestWindowMs);
  const minutes = Math.round(windowMs / 60_000);
  const over = new Map<string, string>();
  for (const [provider, { calls, failures }] of counts) {
    if (calls < (rule.minimumCalls ?? DEFAULT_MINIMUM_CALLS) || failures / calls < rule.threshold) continue;
    const span = minutes >= 1 ? `${minutes} min` : `${Math.round(windowMs / 1000)} s`;
    over.set(
      provider,
      `${percent(failures / calls)} (${failures} of ${calls} calls failed) over the last ${span}, at or above ${percent(rule.threshold)}`,
    );
  }
  if ((rule.by ?? 'provider') === 'provider') {
    return [...over].map(([id, text]) => ({ subject: { kind: 'provider', id }, message: `Error rate of provider "${id}" is ${text}.` }));
  }
  const integrations = watched(await context.store.integrations.list());
  return integrations.flatMap((integration) => {
    const text = over.get(integration.providerId);
    if (text === undefined) return [];
    const message = `Error rate of integration "${integration.id}" (provider "${integration.providerId}") is ${text}.`;
    return [{ subject: { kind: 'integration' as const, id: integration.id }, message }];
  });
}

async function failedSyncs(rule: FailedSyncsRule, context: RuleContext): Promise<RuleFinding[]> {
  const count = rule.count ?? DEFAULT_FAILED_SYNCS;
  const findings: RuleFinding[] = [];
  for (const integration of watched(await context.store.integrations.list())) {
    const failures = await context.store.events.listRecent({ integrationId: integration.id, type: 'sync.failed', limit: count });
    if (failures.length < count) continue;
    const [lastSuccess] = await context.store.events.listRecent({ integrationId: integration.id, type: 'sync.completed', limit: 1 });
    const oldestFailure = failures[failures.length - 1];
    if (oldestFailure === undefined || (lastSuccess !== undefined && lastSuccess.id > oldestFailure.id)) continue;
    const error = failures[0]?.payload['error'];
    const kind = typeof error === 'object' && error !== null && !Array.isArray(error) ? error['kind'] : undefined;
    const latest = typeof kind === 'string' ? ` (latest error: ${kind})` : '';
    findings.push({
      subject: { kind: 'integration', id: integration.id },
      message: `The last ${count} syncs of integration "${integration.id}" failed${latest}.`,
    });
  }
  return findings;
}

async function healthBelow(rule: HealthBelowRule, context: RuleContext): Promise<RuleFinding[]> {
  const service = createIntegrationsService({ store: context.store, hub: context.hub, clock: () => context.now });
  const findings: RuleFinding[] = [];
  for (const integration of watched(await context.store.integrations.list())) {
    const health = await service.checkHealth(integration.id);
    if (health.score >= rule.threshold) continue;
    findings.push({
      subject: { kind: 'integration', id: integration.id },
      message: `Health score of integration "${integration.id}" is ${health.score} (${health.grade}), below ${rule.threshold}.`,
    });
  }
  return findings;
}

/** Providers whose breaker is not closed now (open, or half-open waiting for its probe). */
export function breakerFindings(rule: BreakerOpenRule, hub: Hub, reasons: ReadonlyMap<string, string>): RuleFinding[] {
  return Object.entries(hub.metrics())
    .filter(([provider, report]) => report.breaker.state !== 'closed' && (rule.providers?.includes(provider) ?? true))
    .map(([provider, report]) => ({
      subject: { kind: 'provider', id: provider },
      message: breakerMessage(provider, report.breaker.state, reasons.get(provider)),
    }));
}

/** The message of a breaker alert. */
export function breakerMessage(provider: string, state: string, reason: string | undefined): string {
  return `Circuit breaker of provider "${provider}" is ${state}${reason === undefined ? '' : `: ${reason}`}.`;
}

/** The subjects for which `rule` holds now. */
export function evaluateRule(rule: AlertRule, context: RuleContext, breakerReasons: ReadonlyMap<string, string>): Promise<RuleFinding[]> {
  switch (rule.kind) {
    case 'errorRate':
      return errorRate(rule, context);
    case 'failedSyncs':
      return failedSyncs(rule, context);
    case 'healthBelow':
      return healthBelow(rule, context);
    case 'breakerOpen':
      return Promise.resolve(breakerFindings(rule, context.hub, breakerReasons));
  }
}
