import type { ProviderV1 } from '@switchyard/core';
import type { CliIo } from './cli-io';

/** The flags every command may receive (each command reads the ones it knows). */
export interface CliFlags {
  /** Print JSON instead of tables. Default false. */
  readonly json: boolean;
  /** Add the in-memory demo storage providers to the hub. Default false. */
  readonly demo: boolean;
  /** `--name`: an integration's name. Default none. */
  readonly name: string | undefined;
  /** `--settings`: an integration's settings as a JSON object. Default `{}`. */
  readonly settings: string | undefined;
  /** `--input`: a call's input as a JSON object. Default `{}`. */
  readonly input: string | undefined;
  /** Provider ids to try first, in order. Default none. */
  readonly prefer: readonly string[];
  /** `mcp --http`: serve MCP over Streamable HTTP instead of stdio. Default false. */
  readonly http: boolean;
  /** `serve --host`: the interface to listen on. Default `127.0.0.1`. */
  readonly host: string | undefined;
  /** `mcp --port` (default any free one), `serve --port` (default 8080): the HTTP port. */
  readonly port: string | undefined;
  /** `mcp --token`: bearer tokens the HTTP server accepts. Default none. */
  readonly token: readonly string[];
  /** `mcp --meta`: expose only the meta-tools (search, describe, call) instead of every tool. Default false. */
  readonly meta: boolean;
  /** `mcp --confirm-destructive`: ask the client to confirm destructive tools (elicitation), refuse when it cannot. Default false. */
  readonly confirmDestructive: boolean;
  /** `keys create --scope`: the new key's scopes. Default none. */
  readonly scope: readonly string[];
  /** `keys --workspace`: the workspace a new key belongs to, or whose keys to list. Default `default` (create), every one (list). */
  readonly workspace: string | undefined;
  /** `keys create|rotate --expires-in`: e.g. `30d`. Default never. */
  readonly expiresIn: string | undefined;
  /** `keys rotate --grace`: how long the old key keeps working, e.g. `1h`. Default `1d`. */
  readonly grace: string | undefined;
  /** `worker --url`: the AMQP broker. Default env `SWITCHYARD_AMQP_URL`, else `amqp://127.0.0.1:5672`. */
  readonly url: string | undefined;
}

/** What a command runs with. */
export interface CommandContext {
  readonly io: CliIo;
  /** Positional arguments after the command name. */
  readonly arguments: readonly string[];
  readonly flags: CliFlags;
  /** Providers a host embedding the CLI passes in, registered besides the discovered ones. */
  readonly providers: readonly ProviderV1[];
}

/** A command: resolves with the exit code. */
export type Command = (context: CommandContext) => Promise<number>;
