import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogRecord } from '../../core/memory/researchLog';

/** A run folder's log.jsonl, read whole: to show a finished run again, or to find what a step produced. */

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

/** The records of a run's log; none when it has no log (yet). */
export async function readRunLog(runDir: string): Promise<LogRecord[]> {
  return parseLines(await readFile(join(runDir, 'log.jsonl'), 'utf8').catch(() => ''));
}

/** The same, at once: a run that resumes has written its log so far before it says it started. */
export function readRunLogNow(runDir: string): LogRecord[] {
  try {
    return parseLines(readFileSync(join(runDir, 'log.jsonl'), 'utf8'));
  } catch {
    return [];
  }
}
