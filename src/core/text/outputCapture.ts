import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import * as path from 'node:path';

export interface OutputCaptureOptions {
  headChars?: number;
  tailChars?: number;
  /** how the file is named in text(); default: the file path */
  displayPath?: string;
}

/**
 * Captures a process's output: the whole of it goes to a file as it arrives, while only the
 * first `headChars` and the last `tailChars` characters stay in memory for the observation.
 * Writes are synchronous appends, so memory stays bounded even when output arrives faster
 * than a buffered stream could drain it.
 */
export class OutputCapture {
  private head = '';
  private tail = '';
  private fd: number | undefined;
  private fileError: string | undefined;
  private readonly headChars: number;
  private readonly tailChars: number;
  private readonly displayPath: string;
  /** characters received so far */
  totalChars = 0;

  constructor(readonly filePath: string, options: OutputCaptureOptions = {}) {
    this.headChars = options.headChars ?? 2500;
    this.tailChars = options.tailChars ?? 2500;
    this.displayPath = options.displayPath ?? filePath;
    try {
      mkdirSync(path.dirname(filePath), { recursive: true });
      this.fd = openSync(filePath, 'w');
    } catch (error) {
      this.fileError = (error as Error).message;
    }
  }

  write(chunk: string): void {
    if (chunk.length === 0) return;
    this.totalChars += chunk.length;
    this.keep(chunk);
    if (this.fd === undefined) return;
    try {
      writeSync(this.fd, chunk);
    } catch (error) {
      this.fileError = (error as Error).message;
      this.closeFile();
    }
  }

  async close(): Promise<void> {
    this.closeFile();
  }

  /** Everything when short; otherwise head, a note on what was left out, and tail. */
  text(): string {
    const omitted = this.totalChars - this.head.length - this.tail.length;
    if (omitted <= 0) return this.head + this.tail;
    const where = this.fileError
      ? `the full output could not be saved: ${this.fileError}`
      : `the full output is in ${this.displayPath}`;
    return `${this.head}\n... [${omitted} characters omitted; ${where}] ...\n${this.tail}`;
  }

  private keep(chunk: string): void {
    let rest = chunk;
    if (this.head.length < this.headChars) {
      const room = this.headChars - this.head.length;
      this.head += rest.slice(0, room);
      rest = rest.slice(room);
    }
    if (rest.length === 0 || this.tailChars === 0) return;
    // only the last tailChars characters are kept
    this.tail = (this.tail + rest).slice(-this.tailChars);
  }

  private closeFile(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      closeSync(fd);
    } catch {
      // already closed: nothing left to release
    }
  }
}

/** Cuts a long text to its head and tail (about `maxChars` in all) with a note on what was left out. */
export function headAndTail(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const headLength = Math.ceil(maxChars / 2);
  const tailLength = maxChars - headLength;
  const omitted = text.length - headLength - tailLength;
  const tail = tailLength > 0 ? text.slice(-tailLength) : '';
  return `${text.slice(0, headLength)}\n... [${omitted} characters omitted] ...\n${tail}`;
}
