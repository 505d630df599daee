import { IntegrationError, redactIntegrationError } from '../errors/integration-error';
import { redact, redactText, SecretSet } from '../errors/redact';
import type { HubEvents } from '../events/hub-events';
import type { Logger } from '../utils/logger';
import { silentLogger } from '../utils/logger';

/**
 * What one hub redacts: its own set (`hub.secrets`, for the host's values),
 * its vault's, and each registered provider's. Nothing is process-wide, so
 * a second hub never redacts with — nor learns — this one's secrets.
 */
export class HubSecrets {
  /** The host's own secrets for this hub. */
  readonly own = new SecretSet();
  private readonly fixed: readonly SecretSet[];
  private readonly byProvider = new Map<string, SecretSet>();
  private sources: readonly SecretSet[];

  constructor(vault: SecretSet | undefined) {
    this.fixed = vault === undefined ? [this.own] : [this.own, vault];
    this.sources = this.fixed;
  }

  /** Starts (or, with `undefined`, stops) redacting a provider's secrets. */
  setProvider(id: string, secrets: SecretSet | undefined): void {
    if (secrets === undefined) this.byProvider.delete(id);
    else this.byProvider.set(id, secrets);
    this.sources = [...this.fixed, ...this.byProvider.values()];
  }

  text(text: string): string {
    return redactText(text, this.sources);
  }

  /** Anything thrown, as the `IntegrationError` the caller gets: redacted with every set of this hub. */
  error(error: unknown): IntegrationError {
    return IntegrationError.isInstance(error) ? redactIntegrationError(error, this.sources) : (redact(error, this.sources) as never);
  }

  /** An event payload as listeners get it: its error message redacted (the other fields are core's own text). */
  readonly eventPayload = <Type extends keyof HubEvents>(_type: Type, payload: HubEvents[Type]): HubEvents[Type] => {
    const { error } = payload as { readonly error?: { readonly message: string } | undefined };
    if (error === undefined) return payload;
    return { ...payload, error: { ...error, message: this.text(error.message) } };
  };

  /** Wraps a logger so every field it receives is redacted first. */
  logger(logger: Logger): Logger {
    if (logger === silentLogger) return logger;
    return {
      debug: (fields, message) => logger.debug(redact(fields, this.sources), message),
      info: (fields, message) => logger.info(redact(fields, this.sources), message),
      warn: (fields, message) => logger.warn(redact(fields, this.sources), message),
      error: (fields, message) => logger.error(redact(fields, this.sources), message),
    };
  }
}
