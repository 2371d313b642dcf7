import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { LogRecord } from '../../core/memory/researchLog';

/**
 * Reads the records appended to a run's log.jsonl since the last read. The run writes each record
 * synchronously before it emits the matching event, so reading on an event sees that record.
 */
export class LogFollower {
  private offset = 0;
  private carry: Buffer = Buffer.alloc(0);

  constructor(readonly path: string) {}

  /** Every complete record written since the last call (all of them on the first call). */
  readNew(): LogRecord[] {
    const bytes = this.readAppended();
    if (bytes.length === 0) return [];
    const text = Buffer.concat([this.carry, bytes]);
    const end = text.lastIndexOf(0x0a);
    this.carry = Buffer.from(text.subarray(end + 1));
    if (end < 0) return [];
    return parseLines(text.subarray(0, end).toString('utf8'));
  }

  private readAppended(): Buffer {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return Buffer.alloc(0);
    }
    try {
      const size = fstatSync(fd).size;
      if (size <= this.offset) return Buffer.alloc(0);
      const buffer = Buffer.alloc(size - this.offset);
      const read = readSync(fd, buffer, 0, buffer.length, this.offset);
      this.offset += read;
      return buffer.subarray(0, read);
    } finally {
      closeSync(fd);
    }
  }
}

/** JSONL records; a damaged line is skipped (the sidebar shows what it can read). */
export function parseLines(text: string): LogRecord[] {
  const records: LogRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as LogRecord);
    } catch {
      // skipped
    }
  }
  return records;
}
