import { IntegrationError, type Hub } from '@switchyard/core';
import {
  createSyncService,
  hubListSource,
  type IntegrationRecord,
  type JsonObject,
  type SyncProgress,
  type SyncSource,
  type SyncStream,
  type SyncSummary,
} from '@switchyard/platform';
import type { CliFlags, Command } from '../cli-command';
import { createCliHub, openCliStore } from '../cli-environment';
import { CliUsageError, formatMs, writeJson, writeLine, writeTable, type CliOutput } from '../cli-io';

/** The flags `switchyard sync` reads besides the common ones. */
export interface SyncCommandFlags {
  /** `--full`: read everything and delete the stored records the source no longer has. Default false. */
  readonly full: boolean;
  /** `--wait`: seconds to wait for another run of the integration to finish. Default 0 (exit 3 at once). */
  readonly wait: string | undefined;
}

/** How a host tells `switchyard sync` what an integration's streams are. */
export type CliSyncStreams = (integration: IntegrationRecord, hub: Hub) => readonly SyncStream[] | Promise<readonly SyncStream[]>;

/** Options of {@link createSyncCommand}. */
export interface SyncCommandOptions {
  /** The integration's streams. Default: {@link defaultSyncStreams}. */
  readonly streams?: CliSyncStreams | undefined;
}

/** The exit code of `switchyard sync` when another run holds the integration's sync lease. */
export const SYNC_BUSY_EXIT_CODE = 3;

/** The cursor of {@link projectsIssuesSource}: which project, and where in it. */
interface ProjectsCursor {
  readonly project: number;
  readonly cursor?: string | undefined;
}

/**
 * A {@link SyncSource} over `issues.searchIssues` (state `all`) of several
 * projects, one after another, pinned to one provider: one stream, so one
 * full pass sees every project's issues and deletes only what is gone.
 */
export function projectsIssuesSource(hub: Pick<Hub, 'execute'>, provider: string, projects: readonly string[]): SyncSource {
  const sources = projects.map((project) =>
    hubListSource({ hub, capability: 'issues', operation: 'searchIssues', input: { project, state: 'all' }, items: 'issues', provider }),
  );
  return {
    async readPage(request) {
      const at: ProjectsCursor = request.cursor === undefined ? { project: 0 } : (JSON.parse(request.cursor) as ProjectsCursor);
      const source = sources[at.project];
      if (source === undefined) return { items: [] };
      const page = await source.readPage({ ...request, cursor: at.cursor });
      const next: ProjectsCursor | undefined =
        page.nextCursor !== undefined
          ? { project: at.project, cursor: page.nextCursor }
          : at.project + 1 < sources.length
            ? { project: at.project + 1 }
            : undefined;
      return { items: page.items, nextCursor: next === undefined ? undefined : JSON.stringify(next) };
    },
  };
}

/**
 * The streams `switchyard sync` builds unless the host says otherwise: for an
 * integration whose `settings.sync.projects` lists projects (an `issues`
 * provider's, e.g. `["acme/website"]`), one `issues` stream over
 * `searchIssues` of each, with records of entity `issue` keyed
 * `<project>#<issue id>`. None otherwise.
 */
export const defaultSyncStreams: CliSyncStreams = (integration, hub) => {
  const sync = integration.settings['sync'];
  const projects = typeof sync === 'object' && sync !== null && !Array.isArray(sync) ? sync['projects'] : undefined;
  if (!Array.isArray(projects) || projects.length === 0) return [];
  if (!projects.every((project): project is string => typeof project === 'string' && project !== '')) {
    throw new IntegrationError({
      kind: 'validation',
      message: `integration "${integration.id}": settings.sync.projects must list project ids`,
      operation: 'sync',
    });
  }
  return [
    {
      name: 'issues',
      entity: 'issue',
      source: projectsIssuesSource(hub, integration.providerId, projects),
      externalId: (item: JsonObject) =>
        typeof item['project'] === 'string' && typeof item['id'] === 'string' ? `${item['project']}#${item['id']}` : undefined,
    },
  ];
};

/** Progress on stderr: one `\r`-rewritten line on a terminal, one line per stored batch otherwise. */
function progressPrinter(stderr: CliOutput): { update(progress: SyncProgress): void; end(): void } {
  const terminal = (stderr as { isTTY?: unknown }).isTTY === true;
  const started = performance.now();
  const done = new Map<string, number>();
  let written = false;
  return {
    update(progress) {
      done.set(progress.stream, progress.recordsProcessed);
      const records = [...done.values()].reduce((sum, count) => sum + count, 0);
      const perSecond = Math.round(records / Math.max(0.001, (performance.now() - started) / 1000));
      const line =
        `sync ${progress.stream}: ${records} records (${perSecond}/s), ${progress.created} created, ` +
        `${progress.updated} updated, ${progress.unchanged} unchanged, ${progress.deleted} deleted, ${progress.failed} failed`;
      if (terminal) stderr.write(`\r${line}\u001B[K`);
      else writeLine(stderr, line);
      written = true;
    },
    end() {
      if (terminal && written) writeLine(stderr);
    },
  };
}

function writeSummary(stdout: CliOutput, summary: SyncSummary): void {
  const counts = (row: Omit<SyncSummary, 'integrationId' | 'runId' | 'duration' | 'streams'>) =>
    [row.recordsProcessed, row.created, row.updated, row.unchanged, row.deleted, row.failed].map(String);
  writeTable(
    stdout,
    ['STREAM', 'READ', 'CREATED', 'UPDATED', 'UNCHANGED', 'DELETED', 'FAILED', 'DURATION'],
    [
      ...Object.entries(summary.streams).map(([name, stream]) => [name, ...counts(stream), '-']),
      ['total', ...counts(summary), formatMs(summary.duration)],
    ],
  );
}

function waitMs(flags: Partial<SyncCommandFlags>): number {
  if (flags.wait === undefined) return 0;
  const seconds = Number(flags.wait);
  if (flags.wait.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw new CliUsageError({ message: `sync: --wait must be a number of seconds, not "${flags.wait}"` });
  }
  return seconds * 1000;
}

/**
 * Makes the `switchyard sync <integration> [--full] [--wait <seconds>]`
 * command: syncs the integration's streams into the CLI's store (SQLite, or
 * PostgreSQL with `SWITCHYARD_DATABASE_URL`) with a progress line on stderr
 * and a summary table (or `--json`) on stdout. Exit codes: 0 done, 3 busy
 * (another run holds the integration's lease, also after `--wait`), 1 any
 * other failure (`error [kind]: message` on stderr), 2 a usage error.
 *
 * @example
 * ```ts
 * const command = createSyncCommand({ streams: (integration, hub) => [myStream(hub, integration)] });
 * ```
 */
export function createSyncCommand(options: SyncCommandOptions = {}): Command {
  const streamsOf = options.streams ?? defaultSyncStreams;
  return async (context) => {
    const { io } = context;
    const flags = context.flags as CliFlags & Partial<SyncCommandFlags>;
    const integrationId = context.arguments[0];
    if (integrationId === undefined || integrationId === '') throw new CliUsageError({ message: 'sync: missing <integration>' });
    const wait = waitMs(flags);
    const { store } = await openCliStore(io);
    const progress = progressPrinter(io.stderr);
    try {
      const hub = await createCliHub(io, { demo: flags.demo, providers: context.providers });
      try {
        const service = createSyncService({
          store,
          streams: async (integration) => {
            const streams = await streamsOf(integration, hub);
            if (streams.length > 0) return streams;
            throw new IntegrationError({
              kind: 'validation',
              message: `integration "${integration.id}" (${integration.providerId}) has nothing to sync: list its projects in settings.sync.projects`,
              operation: 'sync',
            });
          },
        });
        const summary = await service.syncIntegration(integrationId, {
          full: flags.full === true,
          waitMs: wait,
          onProgress: (update) => progress.update(update),
        });
        progress.end();
        if (flags.json) writeJson(io.stdout, summary);
        else writeSummary(io.stdout, summary);
        return 0;
      } finally {
        await hub.close();
      }
    } catch (error) {
      progress.end();
      if (!IntegrationError.isInstance(error)) throw error;
      const busy = error.kind === 'conflict' && (error.details as { busy?: unknown } | undefined)?.busy === true;
      writeLine(io.stderr, `error [${error.kind}]: ${error.message}`);
      return busy ? SYNC_BUSY_EXIT_CODE : 1;
    } finally {
      await store.close();
    }
  };
}

/** `switchyard sync <integration>` with the {@link defaultSyncStreams}. */
export const syncCommand: Command = createSyncCommand();
