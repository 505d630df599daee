import {
  IntegrationError,
  redactIntegrationError,
  SecretSet,
  type ErrorKind,
  type OperationHints,
  type ProviderOperation,
  type ProviderV1,
} from '@switchyard/core';
import type { z } from 'zod';
import { redactedExcerpt } from './error-excerpt';
import { appendQuery } from './http-body';
import { assertPublicHost } from '@switchyard/core';
import { createIntegrationManifest, rejectRoutedCall, type IntegrationSettings } from './integration-manifest';

/** One operation of a WebSocket API speaking JSON-RPC 2.0: a method name and zod schemas. */
export interface WebSocketOperationDefinition<Input extends z.ZodType = z.ZodType, Output extends z.ZodType = z.ZodType> {
  /** The JSON-RPC method sent, e.g. `issues.get`. */
  readonly method: string;
  /** Builds the `params` from the validated input. Default: the input is the params. */
  readonly params?: ((input: z.output<Input>) => unknown) | undefined;
  /** Zod schema of the input. */
  readonly input: Input;
  /** Zod schema of the response's `result` (only the fields the caller needs). */
  readonly output: Output;
  /** Whether the operation reads only, destroys data, or may be repeated. */
  readonly hints: OperationHints;
  /** What the operation does, for people and AI agents. */
  readonly description: string;
}

/** Settings of {@link createWebSocketIntegration}. */
export interface WebSocketIntegrationSettings<Inputs extends Record<string, z.ZodType> = Record<string, z.ZodType>> extends Omit<
  IntegrationSettings,
  'dispatcher' | 'timeoutMs'
> {
  /** The `ws://` or `wss://` URL to connect to. Auth headers go on the upgrade request, auth query parameters on the URL. */
  readonly url: string;
  /** WebSocket subprotocols to offer. Default: none. */
  readonly protocols?: readonly string[] | undefined;
  /** The operations, by name (`camelCase`; the tool is `<id>_<snake_case name>`). */
  readonly operations: { readonly [Name in keyof Inputs]: WebSocketOperationDefinition<Inputs[Name]> };
}

/** A WebSocket integration: a provider plus `close()` for its connection. */
export interface WebSocketIntegration extends ProviderV1 {
  /** Closes the connection, failing calls still waiting with a `network` error. The next call reconnects. */
  close(): void;
}

interface PendingCall {
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: IntegrationError) => void;
}

interface JsonRpcResponse {
  readonly id?: unknown;
  readonly result?: unknown;
  readonly error?: { readonly code?: unknown; readonly message?: unknown } | null;
}

/** JSON-RPC 2.0 error codes and the kind each means; any other code is `provider`. */
const KIND_BY_CODE: ReadonlyMap<number, ErrorKind> = new Map([
  [-32700, 'validation'],
  [-32600, 'validation'],
  [-32602, 'validation'],
  [-32601, 'unsupported'],
]);

/**
 * One lazily opened connection shared by every call, matching responses to
 * requests by `id`. A dropped connection fails the calls waiting on it with
 * a retryable `network` error; the next call opens a new one (no retry here).
 */
class JsonRpcConnection {
  private socket: Promise<WebSocket> | undefined;
  private readonly pending = new Map<number, PendingCall>();
  private nextId = 1;

  private readonly settings: WebSocketIntegrationSettings;
  private readonly url: URL;
  private readonly secrets: SecretSet;

  constructor(settings: WebSocketIntegrationSettings, url: URL, secrets: SecretSet) {
    this.settings = settings;
    this.url = url;
    this.secrets = secrets;
  }

  private networkError(message: string, cause?: unknown): IntegrationError {
    return new IntegrationError({ kind: 'network', message: `${this.settings.id}: ${message}`, provider: this.settings.id, cause });
  }

  private async open(): Promise<WebSocket> {
    const { settings } = this;
    if (settings.allowPrivateNetwork !== true) await assertPublicHost(this.url.hostname, settings.id);
    const headers: Record<string, string> = { ...settings.headers };
    let target = this.url.href;
    if (settings.auth !== undefined) {
      const result = await settings.auth.apply({
        method: 'GET',
        origin: this.url.origin,
        path: `${this.url.pathname}${this.url.search}`,
        headers,
        body: undefined,
        secrets: this.secrets,
      });
      Object.assign(headers, result.headers);
      target = appendQuery(target, result.query);
    }
    const socket = new WebSocket(target, { headers, protocols: [...(settings.protocols ?? [])] });
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(this.networkError(`could not open the WebSocket connection to ${this.url.host}`)), {
        once: true,
      });
    });
    socket.addEventListener('message', (event) => this.receive(event.data));
    socket.addEventListener('close', (event) => this.dropped(socket, `the WebSocket connection closed (code ${event.code})`));
    return socket;
  }

  private connect(): Promise<WebSocket> {
    this.socket ??= this.open().catch((error: unknown) => {
      this.socket = undefined;
      throw error;
    });
    return this.socket;
  }

  private dropped(socket: WebSocket, reason: string): void {
    void this.socket?.then((current) => {
      if (current === socket) this.socket = undefined;
    });
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const call of waiting) call.reject(this.networkError(reason));
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    let message: JsonRpcResponse;
    try {
      message = JSON.parse(data) as JsonRpcResponse;
    } catch {
      return; // Not JSON: not an answer to any call.
    }
    if (typeof message !== 'object' || message === null || typeof message.id !== 'number') return;
    const call = this.pending.get(message.id);
    if (call === undefined) return;
    this.pending.delete(message.id);
    if (message.error === undefined || message.error === null) call.resolve(message.result);
    else call.reject(this.responseError(message.error));
  }

  private responseError(error: NonNullable<JsonRpcResponse['error']>): IntegrationError {
    const code = typeof error.code === 'number' ? error.code : undefined;
    const quoted = typeof error.message === 'string' ? redactedExcerpt(error.message, { secrets: this.secrets }) : '';
    const text = quoted === '' ? 'unknown error' : quoted;
    return new IntegrationError({
      kind: (code === undefined ? undefined : KIND_BY_CODE.get(code)) ?? 'provider',
      message: `${this.settings.id}: the server answered with error${code === undefined ? '' : ` ${code}`}: ${text}`,
      provider: this.settings.id,
      details: { code },
    });
  }

  /** Sends one request and waits for its response, until the call's signal aborts or its deadline passes. */
  call(method: string, params: unknown, signal: AbortSignal, deadline: number | undefined): Promise<unknown> {
    const timedOut = (): IntegrationError =>
      new IntegrationError({
        kind: 'timeout',
        message: `${this.settings.id}: ${method} got no response in time`,
        provider: this.settings.id,
        operation: method,
      });
    if (signal.aborted) return Promise.reject(timedOut());
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const finish = (): void => {
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', abort);
        this.pending.delete(id);
      };
      const abort = (): void => {
        finish();
        reject(timedOut());
      };
      signal.addEventListener('abort', abort, { once: true });
      if (deadline !== undefined) timer = setTimeout(abort, Math.max(0, deadline - Date.now()));
      // Waiting for the connection counts against the same deadline as waiting for the answer.
      this.connect().then(
        (socket) => {
          if (settled) return;
          this.pending.set(id, {
            resolve: (result) => {
              finish();
              resolve(result);
            },
            reject: (error) => {
              finish();
              reject(error);
            },
          });
          try {
            socket.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
          } catch (error) {
            finish();
            reject(this.networkError(`could not send ${method}`, error));
          }
        },
        (error: unknown) => {
          if (settled) return;
          finish();
          reject(IntegrationError.isInstance(error) ? error : this.networkError('could not connect', error));
        },
      );
    });
  }

  close(): void {
    const socket = this.socket;
    this.socket = undefined;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const call of waiting) call.reject(this.networkError('the WebSocket connection was closed'));
    void socket?.then(
      (open) => open.close(),
      () => undefined,
    );
  }
}

function checkedResult(provider: string, operation: string, output: z.ZodType, result: unknown): unknown {
  const parsed = output.safeParse(result);
  if (parsed.success) return result;
  const listed = parsed.error.issues
    .slice(0, 3)
    .map((issue) => `field "${issue.path.map(String).join('.') || '(root)'}": ${issue.message}`);
  throw new IntegrationError({
    kind: 'provider',
    message: `${provider}: ${operation} returned a result that does not match its schema: ${listed.join('; ')}`,
    provider,
    operation,
    isRetryable: false,
  });
}

/**
 * Creates a complete provider for a WebSocket API speaking JSON-RPC 2.0
 * (`{ jsonrpc, id, method, params }` → `{ id, result }` or `{ id, error }`),
 * on Node's global `WebSocket`. One connection is opened on the first call
 * and shared; responses are matched by `id`, so calls may overlap. A call
 * waits until the hub's signal aborts or its deadline passes (`timeout`);
 * a dropped connection is a `network` error; JSON-RPC error codes -32700,
 * -32600 and -32602 are `validation`, -32601 `unsupported`, others
 * `provider`. Errors are redacted with the provider's `secrets` (where the
 * auth strategy keeps what it sends on the upgrade request). Operations
 * become hub tools; routed calls reject with `unsupported`. Call `close()`
 * when done.
 *
 * @example
 * ```ts
 * const node = createWebSocketIntegration({
 *   id: 'acme-realtime', name: 'Acme Realtime', category: 'cloud', docsUrl: 'https://docs.acme.dev/ws',
 *   url: 'wss://realtime.acme.dev/rpc', auth: bearerAuth({ getToken: () => process.env.ACME_TOKEN ?? '' }),
 *   operations: { getStatus: { method: 'status.get', input: z.object({}), output: z.object({ up: z.boolean() }), hints: { readOnly: true, destructive: false, idempotent: true }, description: 'Reads the status' } },
 * });
 * ```
 */
export function createWebSocketIntegration<Inputs extends Record<string, z.ZodType>>(
  settings: WebSocketIntegrationSettings<Inputs>,
): WebSocketIntegration {
  const definitions = settings.operations as Readonly<Record<string, WebSocketOperationDefinition>>;
  const names = Object.keys(definitions);
  const manifest = createIntegrationManifest(settings, names);
  const url = new URL(settings.url);
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new IntegrationError({
      kind: 'validation',
      message: `Invalid integration "${settings.id}": url must be a ws:// or wss:// URL`,
      provider: settings.id,
      isRetryable: false,
    });
  }
  const secrets = settings.secrets ?? new SecretSet();
  const connection = new JsonRpcConnection(settings, url, secrets);
  const operations: Record<string, ProviderOperation> = {};
  for (const name of names) {
    const definition = definitions[name] as WebSocketOperationDefinition;
    operations[name] = {
      description: definition.description,
      input: definition.input,
      output: definition.output,
      hints: definition.hints,
      async execute(input, context) {
        const params = definition.params === undefined ? input : definition.params(input);
        try {
          const result = await connection.call(definition.method, params, context.signal, context.deadline);
          return checkedResult(settings.id, name, definition.output, result);
        } catch (error) {
          // The server's error messages may quote what the connection was opened with.
          throw IntegrationError.isInstance(error) ? redactIntegrationError(error, secrets) : error;
        }
      },
    };
  }
  const integration: WebSocketIntegration = {
    specificationVersion: 'v1',
    manifest,
    operations: Object.freeze(operations),
    execute: (request) => rejectRoutedCall(settings.id, request),
    close: () => connection.close(),
    secrets,
  };
  return Object.freeze(integration);
}
