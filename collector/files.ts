/** Writing files so that what the database points at is on disk before the row that names it. */
import * as fs from 'fs';
import * as path from 'path';

/**
 * Writes bytes to a temporary name, fsyncs them, renames into place and fsyncs the directory, so
 * after a crash the file is either absent or whole, and present once this returns.
 */
export function writeFileDurably(file: string, bytes: Uint8Array): void {
  const directory = path.dirname(file);
  fs.mkdirSync(directory, { recursive: true });
  const temporary = path.join(directory, `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = fs.openSync(temporary, 'w', 0o600);
  try {
    let written = 0;
    while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temporary, file);
  const dirFd = fs.openSync(directory, 'r');
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
}
