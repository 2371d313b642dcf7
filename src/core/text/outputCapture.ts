import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import type { Redactor } from '../secrets/redactor';

export interface OutputCaptureOptions {
  headChars?: number;
  tailChars?: number;
  /** how the file is named in text(); default: the file path */
  displayPath?: string;
  /** takes the provider keys out of both the file and the kept text */
  redactor?: Pick<Redactor, 'text' | 'overlap'>;
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
  private readonly redactor: OutputCaptureOptions['redactor'];
  /** the last characters received, held back until the next chunk shows whether a key was cut in two */
  private pending = '';
  /** characters kept so far (after redaction) */
  totalChars = 0;

  constructor(
    readonly filePath: string,
    options: OutputCaptureOptions = {},
  ) {
    this.headChars = options.headChars ?? 2500;
    this.tailChars = options.tailChars ?? 2500;
    this.displayPath = options.displayPath ?? filePath;
    this.redactor = options.redactor;
    try {
      mkdirSync(path.dirname(filePath), { recursive: true });
      this.fd = openSync(filePath, 'w');
    } catch (error) {
      this.fileError = (error as Error).message;
    }
  }

  write(chunk: string): void {
    if (chunk.length === 0) return;
    if (!this.redactor) return this.emit(chunk);
    const text = this.redactor.text(this.pending + chunk);
    const held = Math.min(this.redactor.overlap, text.length);
    this.pending = text.slice(text.length - held);
    this.emit(text.slice(0, text.length - held));
  }

  async close(): Promise<void> {
    this.flush();
    this.closeFile();
  }

  /** Everything when short; otherwise head, a note on what was left out, and tail. */
  text(): string {
    const rest = this.redactor && this.pending ? this.redactor.text(this.pending) : '';
    const { head, tail } = kept(this.head, this.tail, rest, this.headChars, this.tailChars);
    const omitted = this.totalChars + rest.length - head.length - tail.length;
    if (omitted <= 0) return head + tail;
    const where = this.fileError ? `the full output could not be saved: ${this.fileError}` : `the full output is in ${this.displayPath}`;
    return `${head}\n... [${omitted} characters omitted; ${where}] ...\n${tail}`;
  }

  private flush(): void {
    if (!this.redactor || !this.pending) return;
    const rest = this.redactor.text(this.pending);
    this.pending = '';
    this.emit(rest);
  }

  private emit(chunk: string): void {
    if (chunk.length === 0) return;
    this.totalChars += chunk.length;
    ({ head: this.head, tail: this.tail } = kept(this.head, this.tail, chunk, this.headChars, this.tailChars));
    if (this.fd === undefined) return;
    try {
      writeSync(this.fd, chunk);
    } catch (error) {
      this.fileError = (error as Error).message;
      this.closeFile();
    }
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

/** The head and tail kept once `chunk` is added: the first `headChars`, then the last `tailChars`. */
function kept(head: string, tail: string, chunk: string, headChars: number, tailChars: number): { head: string; tail: string } {
  let rest = chunk;
  if (head.length < headChars) {
    const room = headChars - head.length;
    head += rest.slice(0, room);
    rest = rest.slice(room);
  }
  // only the last tailChars characters are kept
  if (rest.length > 0 && tailChars > 0) tail = (tail + rest).slice(-tailChars);
  return { head, tail };
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
