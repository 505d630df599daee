import { randomUUID } from 'node:crypto';
import { IntegrationError, redactText, silentLogger, type Hub, type HubEvents, type Logger } from '@switchyard/core';
import type { JsonObject } from '../store/store-records';
import type { Store } from '../store/store';
import { createTimerAlertChecks, type AlertCheckScheduler } from './alert-scheduler';
import { AttemptWindow, breakerMessage, checkRule, errorWindowOf, evaluateRule, type RuleFinding } from './alert-rules';
import {
  ALERT_EVENT_TYPES,
  type Alert,
  type AlertChannel,
  type AlertNotification,
  type AlertRule,
  type AlertSeverity,
  type AlertSubject,
} from './alert-types';

const DEFAULT_CHECK_INTERVAL_MS = 60_000;
const MAX_LISTED = 1_000;

/** Options of {@link createAlerts}. */
export interface AlertsOptions {
  /** The hub whose breaker and attempt events, and metrics, rules read; also what redacts delivery errors. */
  readonly hub: Hub;
  /** Integrations, sync events and health tests are read here; alerts are recorded in its event log. */
  readonly store: Store;
  readonly rules: readonly AlertRule[];
  /** Where raised and resolved alerts are sent. Default: none (alerts are only recorded). */
  readonly channels?: readonly AlertChannel[] | undefined;
  /** Told about failed deliveries and failed checks, never with secrets. Default: silent. */
  readonly logger?: Logger | undefined;
  /** Epoch ms now. Default: `Date.now`. */
  readonly clock?: (() => number) | undefined;
  /** How often every rule is checked, in ms (breaker alerts also react to the hub's events at once). Default: 60 000. */
  readonly checkIntervalMs?: number | undefined;
  /** Whether channels are told when an alert resolves. Default: `true`. */
  readonly notifyResolved?: boolean | undefined;
  /**
   * What runs the checks every `checkIntervalMs`: a timer in this process by
   * default; `createPgBossAlertChecks` (`@switchyard/store-postgres`) when
   * several processes share a PostgreSQL store, so each check runs once
   * across them and no alert is raised twice by two processes' checks.
   */
  readonly scheduler?: AlertCheckScheduler | undefined;
}

/** What {@link Alerts.list} takes. */
export interface AlertListQuery {
  /** `true`: open alerts only; `false`: resolved ones only. Default: both. */
  readonly open?: boolean | undefined;
  /** Default: 100; at most 1 000. */
  readonly limit?: number | undefined;
}

/** What {@link Alerts.resolve} records. */
export interface AlertResolution {
  /** Who resolved it, e.g. a user id. */
  readonly by: string;
  readonly note?: string | undefined;
}

/** Alert rules over a hub and a store; see {@link createAlerts}. */
export interface Alerts {
  /** Checks every rule now, raising and resolving alerts. */
  evaluate(): Promise<void>;
  /** Alerts rebuilt from the event log (the last 1 000 raised), newest first. */
  list(query?: AlertListQuery): Promise<Alert[]>;
  /**
   * Resolves an open alert by hand. While its condition still holds it is
   * not raised again; once the condition clears, it may be. Throws
   * `not_found` when no open alert has that id.
   */
  resolve(alertId: string, resolution: AlertResolution): Promise<Alert>;
  /** Resolves once every queued check and every delivery started so far has finished. */
  settled(): Promise<void>;
  /** Stops listening and checking, and waits for deliveries in flight. Safe to call twice. */
  close(): Promise<void>;
}

const keyOf = (rule: string, subject: AlertSubject) => `${rule}\u0000${subject.kind}\u0000${subject.id}`;

/** The JSON form of an alert, as `alert.*` events carry it. */
function toPayload(alert: Alert): JsonObject {
  const payload: JsonObject = {};
  for (const [name, value] of Object.entries(alert)) if (value !== undefined) payload[name] = value as JsonObject[string];
  return payload;
}

function fromPayload(payload: JsonObject): Alert | undefined {
  const subject = payload['subject'] as { kind?: unknown; id?: unknown } | undefined;
  const text = (name: string) => (typeof payload[name] === 'string' ? payload[name] : undefined);
  if (text('id') === undefined || text('rule') === undefined || typeof subject?.id !== 'string') return undefined;
  return payload as unknown as Alert;
}

/**
 * Watches a hub and a store with alert rules — `errorRate`, `failedSyncs`,
 * `healthBelow`, `breakerOpen`, each with a severity — and raises an alert
 * once per (rule, subject) while the rule's condition holds, resolving it
 * when the condition clears; `resolve()` resolves one by hand. Alerts are
 * events in the store's log (`alert.raised`, `alert.resolved`), so `list()`
 * rebuilds them after a restart. Every raise and resolution goes to each
 * channel; a failed delivery is logged and recorded as
 * `alert.delivery_failed`, never thrown into the hub.
 *
 * @example
 * ```ts
 * const alerts = createAlerts({
 *   hub, store,
 *   rules: [{ kind: 'breakerOpen', severity: 'high' }, { kind: 'failedSyncs', count: 3, severity: 'medium' }],
 *   channels: [webhookChannel({ url: 'https://ops.example.com/alerts', secret })],
 * });
 * const open = await alerts.list({ open: true });
 * ```
 */
export function createAlerts(options: AlertsOptions): Alerts {
  const { hub, store } = options;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? Date.now;
  const channels = options.channels ?? [];
  const notifyResolved = options.notifyResolved ?? true;
  const rules = options.rules.map(checkRule);
  const names = new Set(rules.map((rule) => rule.name));
  if (names.size !== rules.length) throw new IntegrationError({ kind: 'validation', message: 'createAlerts: rule names must be unique' });
  const checkIntervalMs = options.checkIntervalMs ?? DEFAULT_CHECK_INTERVAL_MS;
  if (!(Number.isFinite(checkIntervalMs) && checkIntervalMs > 0)) {
    throw new IntegrationError({ kind: 'validation', message: 'createAlerts: checkIntervalMs must be a positive number' });
  }
  const scheduler = options.scheduler ?? createTimerAlertChecks();
  const longestWindowMs = Math.max(0, ...rules.map((rule) => (rule.kind === 'errorRate' ? errorWindowOf(rule) : 0)));

  const open = new Map<string, Alert>();
  /** (rule, subject) keys resolved by hand while their condition held: not raised again until it clears. */
  const suppressed = new Set<string>();
  const attempts = new AttemptWindow();
  const breakerReasons = new Map<string, string>();
  const pending = new Set<Promise<void>>();
  const iso = () => new Date(clock()).toISOString();
  const errorOf = (error: unknown) => ({
    kind: IntegrationError.isInstance(error) ? error.kind : 'provider',
    message: redactText(error instanceof Error ? error.message : String(error), hub.secrets),
  });

  const list = async (query: AlertListQuery = {}): Promise<Alert[]> => {
    const [raised, resolved] = await Promise.all([
      store.events.listRecent({ type: ALERT_EVENT_TYPES.raised, limit: MAX_LISTED }),
      store.events.listRecent({ type: ALERT_EVENT_TYPES.resolved, limit: MAX_LISTED }),
    ]);
    const byId = new Map<string, Alert>();
    for (const event of raised) {
      const alert = fromPayload(event.payload);
      if (alert !== undefined) byId.set(alert.id, alert);
    }
    for (const event of resolved) {
      const alert = fromPayload(event.payload);
      if (alert !== undefined && byId.has(alert.id)) byId.set(alert.id, alert);
    }
    return [...byId.values()]
      .filter((alert) => query.open === undefined || (alert.status === 'open') === query.open)
      .sort((left, right) => (left.raisedAt < right.raisedAt ? 1 : left.raisedAt > right.raisedAt ? -1 : 0))
      .slice(0, Math.min(query.limit ?? 100, MAX_LISTED));
  };

  const record = async (type: string, alert: Alert): Promise<void> => {
    const integrationId = alert.subject.kind === 'integration' ? alert.subject.id : undefined;
    await store.events.append({ type, integrationId, payload: toPayload(alert) }).catch((error: unknown) => {
      logger.error({ alertId: alert.id, type, error: errorOf(error) }, 'alerts: recording in the event log failed');
    });
  };

  function deliver(notification: AlertNotification): void {
    const { alert } = notification;
    for (const channel of channels) {
      const delivery: Promise<void> = Promise.resolve()
        .then(() => channel.send(notification))
        .catch(async (error: unknown) => {
          const fields = {
            alertId: alert.id,
            rule: alert.rule,
            channel: channel.name,
            notification: notification.event,
            error: errorOf(error),
          };
          logger.warn(fields, 'alerts: a delivery failed');
          const integrationId = alert.subject.kind === 'integration' ? alert.subject.id : undefined;
          await store.events.append({ type: ALERT_EVENT_TYPES.deliveryFailed, integrationId, payload: fields }).catch(() => undefined);
        })
        .finally(() => pending.delete(delivery));
      pending.add(delivery);
    }
  }

  async function raise(rule: { name: string; kind: AlertRule['kind']; severity: AlertSeverity }, finding: RuleFinding): Promise<void> {
    const key = keyOf(rule.name, finding.subject);
    if (open.has(key) || suppressed.has(key)) return;
    const alert: Alert = {
      id: randomUUID(),
      rule: rule.name,
      kind: rule.kind,
      severity: rule.severity,
      subject: finding.subject,
      message: finding.message,
      status: 'open',
      raisedAt: iso(),
    };
    open.set(key, alert);
    await record(ALERT_EVENT_TYPES.raised, alert);
    deliver({ event: 'raised', alert });
  }

  async function close(key: string, resolution: AlertResolution): Promise<Alert | undefined> {
    const alert = open.get(key);
    if (alert === undefined) return undefined;
    open.delete(key);
    const resolved: Alert = { ...alert, status: 'resolved', resolvedAt: iso(), resolvedBy: resolution.by, note: resolution.note };
    await record(ALERT_EVENT_TYPES.resolved, resolved);
    if (notifyResolved) deliver({ event: 'resolved', alert: resolved });
    return resolved;
  }

  /** Raises what holds, resolves this rule's open alerts (and lifts its suppressions) whose subject is no longer found. */
  async function apply(rule: (typeof rules)[number], findings: readonly RuleFinding[], scope?: AlertSubject): Promise<void> {
    const holding = new Set(findings.map((finding) => keyOf(rule.name, finding.subject)));
    for (const finding of findings) await raise(rule, finding);
    const inScope = (key: string) => key.startsWith(`${rule.name}\u0000`) && (scope === undefined || key === keyOf(rule.name, scope));
    for (const key of [...suppressed]) if (inScope(key) && !holding.has(key)) suppressed.delete(key);
    for (const key of [...open.keys()]) if (inScope(key) && !holding.has(key)) await close(key, { by: 'auto' });
  }

  // Every change of state runs on one chain, in order, after the open alerts were read back from the log.
  let chain: Promise<void> = list({ open: true, limit: MAX_LISTED })
    .then((alerts) => {
      for (const alert of alerts) open.set(keyOf(alert.rule, alert.subject), alert);
    })
    .catch((error: unknown) => logger.error({ error: errorOf(error) }, 'alerts: reading open alerts from the event log failed'));
  const enqueue = (task: () => Promise<void>): Promise<void> => {
    chain = chain.then(task).catch((error: unknown) => logger.error({ error: errorOf(error) }, 'alerts: a check failed'));
    return chain;
  };

  /** Another process may have raised or resolved alerts: the log says which are open now. */
  const reloadOpen = async (): Promise<void> => {
    const alerts = await list({ open: true, limit: MAX_LISTED });
    open.clear();
    for (const alert of alerts) open.set(keyOf(alert.rule, alert.subject), alert);
  };

  const evaluate = (): Promise<void> =>
    enqueue(async () => {
      if (scheduler.shared) await reloadOpen();
      const context = { hub, store, attempts, now: clock(), longestWindowMs };
      for (const rule of rules) {
        try {
          await apply(rule, await evaluateRule(rule, context, breakerReasons));
        } catch (error) {
          logger.error({ rule: rule.name, error: errorOf(error) }, 'alerts: checking a rule failed');
        }
      }
    });

  const onAttempt = (event: HubEvents['attempt']): void => {
    if (event.error?.kind === 'validation') return;
    attempts.record(event.provider, clock(), event.outcome === 'failure');
  };
  const onBreaker = (event: HubEvents['breaker']): void => {
    breakerReasons.set(event.provider, event.reason);
    if (event.to === 'half-open') return;
    void enqueue(async () => {
      if (scheduler.shared) await reloadOpen();
      for (const rule of rules) {
        if (rule.kind !== 'breakerOpen' || (rule.providers !== undefined && !rule.providers.includes(event.provider))) continue;
        const subject: AlertSubject = { kind: 'provider', id: event.provider };
        const findings = event.to === 'open' ? [{ subject, message: breakerMessage(event.provider, 'open', event.reason) }] : [];
        await apply(rule, findings, subject);
      }
    });
  };
  const stopAttempts = rules.some((rule) => rule.kind === 'errorRate') ? hub.events.on('attempt', onAttempt) : () => undefined;
  const stopBreakers = hub.events.on('breaker', onBreaker);
  const scheduled = scheduler.start(evaluate, checkIntervalMs).catch((error: unknown) => {
    logger.error({ error: errorOf(error) }, 'alerts: the check scheduler did not start; rules are checked only when evaluate() is called');
  });

  async function settled(): Promise<void> {
    await chain;
    while (pending.size > 0) await Promise.all(pending);
  }

  return {
    evaluate,
    list,
    async resolve(alertId, resolution) {
      let result: Alert | undefined;
      await enqueue(async () => {
        const key = [...open].find(([, alert]) => alert.id === alertId)?.[0];
        if (key === undefined) return;
        suppressed.add(key);
        result = await close(key, resolution);
      });
      if (result === undefined) {
        throw new IntegrationError({
          kind: 'not_found',
          message: `alerts.resolve: no open alert "${alertId}"`,
          operation: 'alerts.resolve',
        });
      }
      return result;
    },
    settled,
    async close() {
      stopAttempts();
      stopBreakers();
      await scheduled;
      await scheduler.stop().catch(() => undefined);
      await settled();
    },
  };
}
