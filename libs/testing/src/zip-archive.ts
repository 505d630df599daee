import { Buffer } from 'node:buffer';
import { crc32, deflateRawSync } from 'node:zlib';

/** Compression methods of the zip format this writer uses. */
const STORED = 0;
const DEFLATED = 8;
/** General-purpose flag bit 11: file names are UTF-8. */
const UTF8_NAMES = 0x0800;
/** "Version needed to extract": 2.0, which covers deflate. */
const VERSION_NEEDED = 20;
/** 1980-01-01 00:00, the earliest MS-DOS date, so the same files always make the same bytes. */
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;

interface WrittenEntry {
  readonly name: Buffer;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly offset: number;
}

function localFileHeader(entry: WrittenEntry): Buffer {
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(VERSION_NEEDED, 4);
  header.writeUInt16LE(UTF8_NAMES, 6);
  header.writeUInt16LE(entry.method, 8);
  header.writeUInt16LE(DOS_TIME, 10);
  header.writeUInt16LE(DOS_DATE, 12);
  header.writeUInt32LE(entry.crc, 14);
  header.writeUInt32LE(entry.compressedSize, 18);
  header.writeUInt32LE(entry.size, 22);
  header.writeUInt16LE(entry.name.byteLength, 26);
  header.writeUInt16LE(0, 28);
  return Buffer.concat([header, entry.name]);
}

function centralDirectoryHeader(entry: WrittenEntry): Buffer {
  const header = Buffer.alloc(46);
  header.writeUInt32LE(0x02014b50, 0);
  header.writeUInt16LE(VERSION_NEEDED, 4);
  header.writeUInt16LE(VERSION_NEEDED, 6);
  header.writeUInt16LE(UTF8_NAMES, 8);
  header.writeUInt16LE(entry.method, 10);
  header.writeUInt16LE(DOS_TIME, 12);
  header.writeUInt16LE(DOS_DATE, 14);
  header.writeUInt32LE(entry.crc, 16);
  header.writeUInt32LE(entry.compressedSize, 20);
  header.writeUInt32LE(entry.size, 24);
  header.writeUInt16LE(entry.name.byteLength, 28);
  // Extra field length, comment length, disk number, internal and external attributes: all zero.
  header.writeUInt32LE(entry.offset, 42);
  return Buffer.concat([header, entry.name]);
}

function endOfCentralDirectory(entryCount: number, directorySize: number, directoryOffset: number): Buffer {
  const record = Buffer.alloc(22);
  record.writeUInt32LE(0x06054b50, 0);
  record.writeUInt16LE(entryCount, 8);
  record.writeUInt16LE(entryCount, 10);
  record.writeUInt32LE(directorySize, 12);
  record.writeUInt32LE(directoryOffset, 16);
  return record;
}

/**
 * Writes a zip archive holding `files` (path → text or bytes; text is
 * written as UTF-8), in key order. Each file is deflated when that makes it
 * smaller and stored otherwise; timestamps are fixed at 1980-01-01, so the
 * same files always give the same bytes. Enough for deployment packages: no
 * directories entries, no zip64 (each file and the archive must stay under
 * 4 GiB, and at most 65 535 files).
 *
 * @example
 * ```ts
 * const zip = createZipArchive({ 'index.js': 'exports.handler = async (event) => event;' });
 * ```
 */
export function createZipArchive(files: Readonly<Record<string, string | Uint8Array>>): Uint8Array {
  const names = Object.keys(files);
  if (names.length > 0xffff) throw new RangeError(`createZipArchive: at most 65535 files, got ${names.length}`);
  const chunks: Buffer[] = [];
  const entries: WrittenEntry[] = [];
  let offset = 0;
  for (const path of names) {
    if (path === '' || path.startsWith('/') || path.includes('\\')) {
      throw new RangeError(`createZipArchive: "${path}" must be a relative path with "/" separators`);
    }
    const content = files[path] ?? '';
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content);
    const deflated = deflateRawSync(data);
    const method = deflated.byteLength < data.byteLength ? DEFLATED : STORED;
    const body = method === DEFLATED ? deflated : data;
    const entry: WrittenEntry = {
      name: Buffer.from(path, 'utf8'),
      method,
      crc: crc32(data),
      compressedSize: body.byteLength,
      size: data.byteLength,
      offset,
    };
    const header = localFileHeader(entry);
    chunks.push(header, body);
    entries.push(entry);
    offset += header.byteLength + body.byteLength;
  }
  const directory = Buffer.concat(entries.map(centralDirectoryHeader));
  const archive = Buffer.concat([...chunks, directory, endOfCentralDirectory(entries.length, directory.byteLength, offset)]);
  return new Uint8Array(archive.buffer, archive.byteOffset, archive.byteLength);
}

/** The source of the echo function: a Lambda-style handler that returns the event it receives. */
export const ECHO_FUNCTION_SOURCE = 'exports.handler = async (event) => event;\n';

/**
 * The files of the echo function the functions contract suite deploys:
 * `index.js` ({@link ECHO_FUNCTION_SOURCE}, entry point `index.handler`),
 * a `package.json` (CommonJS) and a `function.json` describing it.
 */
export const ECHO_FUNCTION_FILES: Readonly<Record<string, string>> = Object.freeze({
  'index.js': ECHO_FUNCTION_SOURCE,
  'package.json': `${JSON.stringify({ name: 'switchyard-echo', version: '1.0.0', main: 'index.js', type: 'commonjs' }, null, 2)}\n`,
  'function.json': `${JSON.stringify({ description: 'Returns the event it receives.', handler: 'index.handler' }, null, 2)}\n`,
});

/**
 * The echo function as `deployFunction` takes it: a zip of
 * {@link ECHO_FUNCTION_FILES}, base64-encoded.
 *
 * @example
 * ```ts
 * await hub.functions.deployFunction({ name: 'echo', zipBase64: echoFunctionZip(), runtime: 'nodejs22.x', handler: 'index.handler' });
 * ```
 */
export function echoFunctionZip(): string {
  return Buffer.from(createZipArchive(ECHO_FUNCTION_FILES)).toString('base64');
}
