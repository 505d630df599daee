import type { Buffer } from 'node:buffer';
import { inflateRawSync } from 'node:zlib';
import type { IntegrationError } from '@switchyard/core';
import type { AzureErrors } from './azure-error';

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/**
 * The files of a zip archive as UTF-8 text, by path, for Resource Manager's
 * per-function `files` map. Reads stored and deflated entries (what zip tools
 * write); directories are skipped. Anything else is a `validation` error.
 */
export function readZipTextFiles(archive: Buffer, errors: AzureErrors): Record<string, string> {
  const invalid = (reason: string): IntegrationError =>
    errors.invalidInput('functions.deployFunction', `zipBase64 must be a zip archive: ${reason}`);
  let end = -1;
  for (let offset = archive.length - 22; offset >= Math.max(0, archive.length - 65_557); offset -= 1) {
    if (archive.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) {
      end = offset;
      break;
    }
  }
  if (end < 0) throw invalid('no end of central directory record');
  const count = archive.readUInt16LE(end + 10);
  let entry = archive.readUInt32LE(end + 16);
  const files: Record<string, string> = {};
  for (let index = 0; index < count; index += 1) {
    if (entry + 46 > archive.length || archive.readUInt32LE(entry) !== CENTRAL_DIRECTORY_ENTRY)
      throw invalid('a damaged central directory');
    const method = archive.readUInt16LE(entry + 10);
    const compressedSize = archive.readUInt32LE(entry + 20);
    const nameLength = archive.readUInt16LE(entry + 28);
    const extraLength = archive.readUInt16LE(entry + 30);
    const commentLength = archive.readUInt16LE(entry + 32);
    const localOffset = archive.readUInt32LE(entry + 42);
    const name = archive.subarray(entry + 46, entry + 46 + nameLength).toString('utf8');
    entry += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    if (name.startsWith('/') || name.split('/').includes('..')) throw invalid(`an unsafe path "${name}"`);
    if (localOffset + 30 > archive.length || archive.readUInt32LE(localOffset) !== LOCAL_FILE_HEADER)
      throw invalid(`a damaged entry "${name}"`);
    const dataStart = localOffset + 30 + archive.readUInt16LE(localOffset + 26) + archive.readUInt16LE(localOffset + 28);
    const data = archive.subarray(dataStart, dataStart + compressedSize);
    if (method === STORED) files[name] = data.toString('utf8');
    else if (method === DEFLATED) files[name] = inflateRawSync(data).toString('utf8');
    else throw invalid(`entry "${name}" uses compression method ${method}; only stored and deflated are read`);
  }
  return files;
}
