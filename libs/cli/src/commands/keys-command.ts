import { API_KEY_SCOPES, createApiKeys, type ApiKeyRecord, type ApiKeyScope } from '@switchyard/platform';
import type { Command, CommandContext } from '../cli-command';
import { openCliStore } from '../cli-environment';
import { CliUsageError, writeJson, writeLine, writeTable } from '../cli-io';

const SUBCOMMANDS = 'create --name N --scope S..., list, rotate <id>, revoke <id>';
const UNITS_MS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90s`, `15m`, `12h`, `30d` in milliseconds. */
export function parseDuration(flag: string, text: string): number {
  const match = /^(\d+)([smhd])$/.exec(text);
  if (match === null) throw new CliUsageError({ message: `${flag} must be a number and a unit (s, m, h, d), e.g. 30d; got "${text}"` });
  return Number(match[1]) * UNITS_MS[match[2]!]!;
}

function parseScopes(values: readonly string[]): ApiKeyScope[] {
  if (values.length === 0) throw new CliUsageError({ message: `keys create: missing --scope (${API_KEY_SCOPES.join(', ')})` });
  for (const value of values) {
    if (!(API_KEY_SCOPES as readonly string[]).includes(value)) {
      throw new CliUsageError({ message: `keys create: unknown scope "${value}" (${API_KEY_SCOPES.join(', ')})` });
    }
  }
  return values as ApiKeyScope[];
}

function keyId(context: CommandContext): string {
  const id = context.arguments[1];
  if (id === undefined || id === '') throw new CliUsageError({ message: `keys ${context.arguments[0]}: missing <id>` });
  return id;
}

function state(record: ApiKeyRecord, now: number): string {
  if (record.revokedAt !== undefined) return 'revoked';
  if (record.expiresAt !== undefined) return Date.parse(record.expiresAt) <= now ? 'expired' : `until ${record.expiresAt}`;
  return 'active';
}

function writeKeys(context: CommandContext, records: readonly ApiKeyRecord[]): void {
  if (context.flags.json) return writeJson(context.io.stdout, records);
  if (records.length === 0) return writeLine(context.io.stdout, 'No API keys yet (switchyard keys create --name N --scope execute).');
  const now = Date.now();
  writeTable(
    context.io.stdout,
    ['ID', 'WORKSPACE', 'NAME', 'SCOPES', 'STATE', 'LAST USED'],
    records.map((record) => [
      record.id,
      record.workspaceId,
      record.name,
      record.scopes.join(','),
      state(record, now),
      record.lastUsedAt ?? '-',
    ]),
  );
}

/** Prints a new key once, on stdout alone (so `$(switchyard keys create ...)` captures it), and what it is on stderr. */
function writeIssued(context: CommandContext, key: string, record: ApiKeyRecord): void {
  if (context.flags.json) return writeJson(context.io.stdout, { key, ...record });
  writeLine(context.io.stdout, key);
  writeLine(
    context.io.stderr,
    `API key ${record.id} (${record.name}, ${record.scopes.join(',')}, workspace ${record.workspaceId}): shown once, store it now.`,
  );
}

/**
 * `switchyard keys create|list|rotate|revoke`: API keys in the store, kept
 * as SHA-256 hashes. `create` and `rotate` print the new key once; `rotate`
 * leaves the old key working for `--grace` (default 1d).
 */
export const keysCommand: Command = async (context) => {
  const { io, flags } = context;
  const subcommand = context.arguments[0];
  if (subcommand === undefined) throw new CliUsageError({ message: `keys: missing subcommand (${SUBCOMMANDS})` });
  if (!['create', 'list', 'rotate', 'revoke'].includes(subcommand)) {
    throw new CliUsageError({ message: `keys: unknown subcommand "${subcommand}" (${SUBCOMMANDS})` });
  }
  const scopes = subcommand === 'create' ? parseScopes(flags.scope) : [];
  if (subcommand === 'create' && flags.name === undefined) throw new CliUsageError({ message: 'keys create: missing --name' });
  const expiresInMs = flags.expiresIn === undefined ? undefined : parseDuration('--expires-in', flags.expiresIn);
  const graceMs = flags.grace === undefined ? undefined : parseDuration('--grace', flags.grace);
  const { store } = await openCliStore(io);
  try {
    const keys = createApiKeys(store);
    const expiresAt = expiresInMs === undefined ? undefined : new Date(Date.now() + expiresInMs);
    switch (subcommand) {
      case 'create': {
        const { key, record } = await keys.issue({ workspaceId: flags.workspace, name: flags.name!, scopes, expiresAt });
        writeIssued(context, key, record);
        return 0;
      }
      case 'list':
        writeKeys(context, await keys.list(flags.workspace));
        return 0;
      case 'rotate': {
        const { key, record } = await keys.rotate(keyId(context), { graceMs, expiresAt });
        writeIssued(context, key, record);
        return 0;
      }
      default: {
        const record = await keys.revoke(keyId(context));
        if (flags.json) writeJson(io.stdout, record);
        else writeLine(io.stdout, `Revoked API key ${record.id} (${record.name}).`);
        return 0;
      }
    }
  } finally {
    await store.close();
  }
};
