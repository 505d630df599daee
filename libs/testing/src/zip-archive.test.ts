import { execFileSync } from 'node:child_process';
import { Buffer } from 'node:buffer';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createZipArchive, ECHO_FUNCTION_FILES, ECHO_FUNCTION_SOURCE, echoFunctionZip } from './zip-archive';

/** Reads a zip the way unzip does: from the end-of-central-directory record, through the central directory, to each file. */
function readZip(bytes: Uint8Array): Record<string, Buffer> {
  const archive = Buffer.from(bytes);
  const end = archive.length - 22;
  expect(archive.readUInt32LE(end), 'end-of-central-directory signature').toBe(0x06054b50);
  const count = archive.readUInt16LE(end + 10);
  let position = archive.readUInt32LE(end + 16);
  const files: Record<string, Buffer> = {};
  for (let index = 0; index < count; index += 1) {
    expect(archive.readUInt32LE(position), 'central directory signature').toBe(0x02014b50);
    const method = archive.readUInt16LE(position + 10);
    const crc = archive.readUInt32LE(position + 16);
    const compressedSize = archive.readUInt32LE(position + 20);
    const size = archive.readUInt32LE(position + 24);
    const nameLength = archive.readUInt16LE(position + 28);
    const offset = archive.readUInt32LE(position + 42);
    const name = archive.subarray(position + 46, position + 46 + nameLength).toString('utf8');
    expect(archive.readUInt32LE(offset), `${name}: local header signature`).toBe(0x04034b50);
    const start = offset + 30 + archive.readUInt16LE(offset + 26) + archive.readUInt16LE(offset + 28);
    const stored = archive.subarray(start, start + compressedSize);
    const data = method === 8 ? inflateRawSync(stored) : Buffer.from(stored);
    expect({ size: data.length, crc: crc32(data) }, `${name}: size and CRC`).toEqual({ size, crc });
    files[name] = data;
    position += 46 + nameLength;
  }
  return files;
}

function hasUnzip(): boolean {
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('createZipArchive', () => {
  const repetitive = 'deflate me '.repeat(200);
  const bytes = new Uint8Array(Array.from({ length: 256 }, (_, index) => index));
  const files = { 'index.js': ECHO_FUNCTION_SOURCE, 'lib/repetitive.txt': repetitive, 'data/bytes.bin': bytes, 'grüße.txt': 'ü' };

  it('writes every file back byte for byte, compressing what compresses', () => {
    const zip = createZipArchive(files);
    const read = readZip(zip);
    expect(Object.keys(read)).toEqual(Object.keys(files));
    expect(read['lib/repetitive.txt']?.toString('utf8')).toBe(repetitive);
    expect(read['data/bytes.bin']).toEqual(Buffer.from(bytes));
    expect(read['grüße.txt']?.toString('utf8')).toBe('ü');
    expect(zip.byteLength, 'the repetitive file is deflated').toBeLessThan(repetitive.length);
  });

  it('gives the same bytes for the same files', () => {
    expect(Buffer.from(createZipArchive(files)).equals(Buffer.from(createZipArchive(files)))).toBe(true);
  });

  it('writes an empty archive for no files', () => {
    expect(readZip(createZipArchive({}))).toEqual({});
  });

  it('rejects absolute and backslash paths', () => {
    expect(() => createZipArchive({ '/etc/passwd': 'x' })).toThrow(/relative path/);
    expect(() => createZipArchive({ 'lib\\index.js': 'x' })).toThrow(/relative path/);
  });

  it.skipIf(!hasUnzip())('produces archives the unzip tool lists and tests as intact', () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-zip-'));
    try {
      const path = join(directory, 'archive.zip');
      writeFileSync(path, createZipArchive(files));
      expect(execFileSync('unzip', ['-t', path], { encoding: 'utf8' })).toMatch(/No errors detected/);
      const listing = execFileSync('unzip', ['-l', path], { encoding: 'utf8' });
      for (const name of ['index.js', 'lib/repetitive.txt', 'data/bytes.bin']) expect(listing).toContain(name);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('echoFunctionZip', () => {
  it('is base64 of a zip holding the echo handler, a package.json and a function.json', () => {
    const read = readZip(Buffer.from(echoFunctionZip(), 'base64'));
    expect(Object.fromEntries(Object.entries(read).map(([name, data]) => [name, data.toString('utf8')]))).toEqual(ECHO_FUNCTION_FILES);
  });

  it('holds a handler that echoes its event once unpacked', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-echo-'));
    try {
      for (const [name, data] of Object.entries(readZip(Buffer.from(echoFunctionZip(), 'base64'))))
        writeFileSync(join(directory, name), data);
      const echo = createRequire(import.meta.url)(join(directory, 'index.js')) as { handler: (event: unknown) => Promise<unknown> };
      await expect(echo.handler({ hello: 'world', n: 1 })).resolves.toEqual({ hello: 'world', n: 1 });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
