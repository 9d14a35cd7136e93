import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Largest input file midpath reads (scenarios, traces, sweep files, manifests): 1 MiB. */
export const MAX_INPUT_BYTES = 1024 * 1024;

/** Why an input file cannot be read: a short sentence to put after the file name. */
export class InputFileError extends Error {
  override readonly name = 'InputFileError';
  /**
   * @param path the file as the user named it
   * @param reason what is wrong, e.g. `no such file`
   * @param code a stable code: `not-found`, `not-regular`, `too-large`, `not-utf8`, `io`
   */
  constructor(
    readonly path: string,
    readonly reason: string,
    readonly code: 'not-found' | 'not-regular' | 'too-large' | 'not-utf8' | 'io',
  ) {
    super(`${path}: ${reason}`);
  }
}

function kindOf(stat: ReturnType<typeof fstatSync>): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Reads a regular file of at most `limit` bytes. The file is opened without
 * blocking (a FIFO never hangs), refused unless `fstat` says it is a regular
 * file (so `/dev/zero`, `/dev/urandom`, FIFOs and directories are refused
 * before a byte is read), and read in chunks that stop one byte past the
 * limit, so a file that grows while it is read cannot make midpath read
 * more than `limit + 1` bytes.
 *
 * @param what what the file should be, for messages (`a scenario file`)
 * @throws InputFileError naming the file and the reason
 */
export function readInputBytes(path: string, what: string, limit = MAX_INPUT_BYTES): Buffer {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new InputFileError(path, 'no such file', 'not-found');
    if (code === 'EACCES' || code === 'EPERM') throw new InputFileError(path, 'permission denied', 'io');
    if (code === 'EISDIR') throw new InputFileError(path, `is a directory, not ${what}`, 'not-regular');
    throw new InputFileError(path, `cannot open the file (${typeof code === 'string' ? code : 'error'})`, 'io');
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new InputFileError(path, `is ${kindOf(stat)}, not ${what}${stat.isDirectory() ? '' : ' (midpath reads only regular files)'}`, 'not-regular');
    const limitText = `the ${limit === MAX_INPUT_BYTES ? '1 MiB' : `${limit}-byte`} limit (${limit} bytes) for ${what}`;
    if (stat.size > limit) throw new InputFileError(path, `the file is ${stat.size} bytes, over ${limitText}`, 'too-large');
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, limit + 1 - total));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > limit) throw new InputFileError(path, `the file grew past ${limitText} while it was read`, 'too-large');
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    if (e instanceof InputFileError) throw e;
    const code = (e as { code?: unknown } | null)?.code;
    throw new InputFileError(path, `cannot read the file (${typeof code === 'string' ? code : 'error'})`, 'io');
  } finally {
    closeSync(fd);
  }
}

/**
 * {@link readInputBytes} as UTF-8 text, without a leading byte-order mark.
 *
 * @throws InputFileError when the file cannot be read or is not UTF-8
 */
export function readInputText(path: string, what: string, limit = MAX_INPUT_BYTES): string {
  const bytes = readInputBytes(path, what, limit);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new InputFileError(path, `is not UTF-8 text (${what} is a text file)`, 'not-utf8');
  }
  return text;
}
