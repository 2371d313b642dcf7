import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { ScriptRequest } from '../../core/host';

/**
 * Script runs that outlive the process that started them (a detached local run, a SLURM job), noted in
 * the run folder while they run: a resumed run that asks for the same script finds it and follows it
 * (reading the result of one that finished meanwhile) instead of starting it twice. A note is removed
 * once the run that follows it has its result.
 */
export class Attachments<T extends object> {
  constructor(private readonly dir: string) {}

  /** What identifies a script run: the folder, the program and its arguments. */
  static keyOf(request: ScriptRequest): string {
    return createHash('sha256')
      .update(JSON.stringify([request.cwd, request.command, request.args]))
      .digest('hex')
      .slice(0, 16);
  }

  async find(key: string): Promise<T | undefined> {
    const text = await fs.readFile(this.file(key), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      return undefined; // a note cut short by a crash: start afresh
    }
  }

  async note(key: string, value: T): Promise<void> {
    await fs.mkdir(this.dir, { recursive: true });
    const temp = `${this.file(key)}.tmp`;
    await fs.writeFile(temp, JSON.stringify(value));
    await fs.rename(temp, this.file(key));
  }

  async clear(key: string): Promise<void> {
    await fs.rm(this.file(key), { force: true });
  }

  private file(key: string): string {
    return path.join(this.dir, `${key}.json`);
  }
}
