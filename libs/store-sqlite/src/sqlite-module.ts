import type * as Sqlite from 'node:sqlite';

/** The start of the one warning {@link loadSqlite} keeps quiet. */
const SQLITE_WARNING = 'SQLite is an experimental feature';

/**
 * `node:sqlite`, loaded on first use rather than imported: bundlers strip the
 * `node:` prefix it needs, and importing the package should not load it.
 *
 * Node 22 marks `node:sqlite` experimental and prints `ExperimentalWarning:
 * SQLite is an experimental feature...` when it is first loaded. A library
 * (and the CLI on it) should not print that to its users, so this load
 * drops that one warning, and only while it loads the module; every other
 * warning, including any other ExperimentalWarning, still prints.
 */
export function loadSqlite(): typeof Sqlite {
  // Kept unbound on purpose: it is put back as it was, and called below with `this` as given.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const emitWarning = process.emitWarning;
  process.emitWarning = function emitWarningExceptSqlite(this: NodeJS.Process, warning: string | Error, ...rest: unknown[]): void {
    const type = typeof rest[0] === 'string' ? rest[0] : (rest[0] as { type?: unknown } | undefined)?.type;
    const message = typeof warning === 'string' ? warning : warning.message;
    if (type === 'ExperimentalWarning' && message.startsWith(SQLITE_WARNING)) return;
    Reflect.apply(emitWarning, this, [warning, ...rest]);
  };
  let sqlite: typeof Sqlite | undefined;
  try {
    sqlite = process.getBuiltinModule('node:sqlite');
  } finally {
    process.emitWarning = emitWarning;
  }
  // Node 22.12 and older keep node:sqlite behind --experimental-sqlite, and getBuiltinModule gives undefined.
  if (sqlite === undefined) {
    throw new Error(`node:sqlite is not available in Node.js ${process.version}: @switchyard/store-sqlite needs Node.js >= 22.19`);
  }
  return sqlite;
}
