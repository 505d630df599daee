/** How bad an alert is, least first. */
export const ALERT_SEVERITIES = Object.freeze(['low', 'medium', 'high', 'critical'] as const);

/** One of {@link ALERT_SEVERITIES}. */
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** The event types alerts append to the store's event log. */
export const ALERT_EVENT_TYPES = Object.freeze({
  /** Payload: the {@link Alert} as raised (`id`, `rule`, `kind`, `severity`, `subject`, `message`, `raisedAt`). */
  raised: 'alert.raised',
  /** Payload: the {@link Alert} as resolved, with `resolvedAt`, `resolvedBy` (`'auto'` when its condition cleared) and `note`. */
  resolved: 'alert.resolved',
  /** Payload: `{ alertId, rule, channel, notification, error: { kind, message } }`; never the alert's destination secrets. */
  deliveryFailed: 'alert.delivery_failed',
} as const);

interface RuleBase {
  /** Names the rule in alerts; unique among the rules. Default: the rule's `kind`. */
  readonly name?: string | undefined;
  readonly severity: AlertSeverity;
}

/**
 * Raises when the share of failed provider calls over the last `windowMs`
 * reaches `threshold`, once at least `minimumCalls` were made. By provider
 * (default), or by integration: the hub routes by provider, so an
 * integration's error rate is its provider's.
 */
export interface ErrorRateRule extends RuleBase {
  readonly kind: 'errorRate';
  /** 0..1, e.g. `0.5` for half of the calls failing. */
  readonly threshold: number;
  /** Default: 300 000 (five minutes). */
  readonly windowMs?: number | undefined;
  /** Calls in the window before the rate counts. Default: 10. */
  readonly minimumCalls?: number | undefined;
  /** Default: `'provider'`. */
  readonly by?: 'provider' | 'integration' | undefined;
}

/** Raises when an integration's last `count` syncs (`sync.failed` events since the last `sync.completed`) all failed. */
export interface FailedSyncsRule extends RuleBase {
  readonly kind: 'failedSyncs';
  /** Consecutive failed syncs. Default: 3. */
  readonly count?: number | undefined;
}

/** Raises when an integration's health score (0..100, see `computeHealthScore`) is below `threshold`. */
export interface HealthBelowRule extends RuleBase {
  readonly kind: 'healthBelow';
  readonly threshold: number;
}

/** Raises when a provider's circuit breaker opens, and resolves when it closes again (half-open still counts as open). */
export interface BreakerOpenRule extends RuleBase {
  readonly kind: 'breakerOpen';
  /** Only these providers. Default: every provider of the hub. */
  readonly providers?: readonly string[] | undefined;
}

/** One alert rule; see each kind. */
export type AlertRule = ErrorRateRule | FailedSyncsRule | HealthBelowRule | BreakerOpenRule;

/** What an alert is about. */
export interface AlertSubject {
  readonly kind: 'provider' | 'integration';
  readonly id: string;
}

/** One alert: raised once per (rule, subject) while the rule's condition holds. */
export interface Alert {
  readonly id: string;
  /** The rule's name. */
  readonly rule: string;
  readonly kind: AlertRule['kind'];
  readonly severity: AlertSeverity;
  readonly subject: AlertSubject;
  /** One line for people; holds ids, numbers and error kinds, never secrets. */
  readonly message: string;
  readonly status: 'open' | 'resolved';
  /** ISO 8601. */
  readonly raisedAt: string;
  /** ISO 8601; set once resolved. */
  readonly resolvedAt?: string | undefined;
  /** `'auto'` when the condition cleared, or who resolved it by hand. */
  readonly resolvedBy?: string | undefined;
  /** What the person who resolved it said. */
  readonly note?: string | undefined;
}

/** What a channel is given: an alert that was just raised or resolved. */
export interface AlertNotification {
  readonly event: 'raised' | 'resolved';
  readonly alert: Alert;
}

/**
 * Where notifications go (`webhookChannel`, `messagingChannel`,
 * `emailChannel`, or a host's own). `send` rejects when the delivery failed;
 * alerts log and record that and go on.
 */
export interface AlertChannel {
  /** Names the channel in logs and `alert.delivery_failed` events, e.g. `webhook`. */
  readonly name: string;
  send(notification: AlertNotification): Promise<void>;
}

/** The subject line and text of a notification, as the channels that send text write it. */
export function describeNotification(notification: AlertNotification): { subject: string; text: string } {
  const { alert } = notification;
  const state = notification.event === 'raised' ? 'RAISED' : 'RESOLVED';
  const subject = `[${alert.severity.toUpperCase()}] ${state}: ${alert.rule} on ${alert.subject.kind} ${alert.subject.id}`;
  const lines = [subject, alert.message, `Raised at ${alert.raisedAt}.`];
  if (alert.resolvedAt !== undefined) lines.push(`Resolved at ${alert.resolvedAt} by ${alert.resolvedBy ?? 'auto'}.`);
  if (alert.note !== undefined) lines.push(`Note: ${alert.note}`);
  lines.push(`Alert id: ${alert.id}`);
  return { subject, text: lines.join('\n') };
}
