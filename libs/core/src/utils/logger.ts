/**
 * A structured logger, shaped like pino's: an object of fields first, then an
 * optional message. Pass a pino logger (or anything with these four methods)
 * to `createHub({ logger })`. Core has no logger dependency; the default
 * drops everything. Fields are redacted before they reach the logger.
 */
export interface Logger {
  debug(fields: Record<string, unknown>, message?: string): void;
  info(fields: Record<string, unknown>, message?: string): void;
  warn(fields: Record<string, unknown>, message?: string): void;
  error(fields: Record<string, unknown>, message?: string): void;
}

/** A logger that drops everything. */
export const silentLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
});
