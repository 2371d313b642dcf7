import * as fs from 'node:fs/promises';

/** Reads what was added to a file since the last read, as UTF-8 text (a character cut between reads is kept for the next). */
export class FileTail {
  private offset = 0;

  /** How much of the file was read so far. */
  get bytesRead(): number {
    return this.offset;
  }

  private readonly decoder = new TextDecoder();

  constructor(private readonly file: string) {}

  async read(onText: (text: string) => void): Promise<void> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.file, 'r');
    } catch {
      return; // not created yet: the job has not started
    }
    try {
      const buffer = Buffer.alloc(64 * 1024);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
        if (bytesRead === 0) break;
        this.offset += bytesRead;
        const text = this.decoder.decode(buffer.subarray(0, bytesRead), { stream: true });
        if (text) onText(text);
      }
    } finally {
      await handle.close();
    }
  }
}
