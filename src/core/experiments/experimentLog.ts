import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExperimentRecord } from './types';

export const EXPERIMENTS_FILE = 'experiments.jsonl';

/** Appends one experiment to the run folder's experiments.jsonl (one JSON object a line). */
export function appendExperiment(runDir: string, record: ExperimentRecord): void {
  appendFileSync(join(runDir, EXPERIMENTS_FILE), JSON.stringify(record) + '\n');
}

/** The experiments of a run folder, oldest first; a torn or damaged line is skipped. */
export function readExperiments(runDir: string): ExperimentRecord[] {
  const path = join(runDir, EXPERIMENTS_FILE);
  if (!existsSync(path)) return [];
  const records: ExperimentRecord[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    try {
      records.push(JSON.parse(line) as ExperimentRecord);
    } catch {
      // a line torn by a crash: the log.jsonl copy of the record is the one that counts
    }
  }
  return records;
}

/**
 * Makes experiments.jsonl hold exactly `records` (the log's, which is written first): after a crash
 * between the two writes, or a torn last line, the file is written anew.
 */
export function syncExperiments(runDir: string, records: readonly ExperimentRecord[]): void {
  const path = join(runDir, EXPERIMENTS_FILE);
  const text = existsSync(path) ? readFileSync(path, 'utf8') : '';
  const intact = text === '' || text.endsWith('\n');
  if (intact && readExperiments(runDir).length === records.length) return;
  writeFileSync(path, records.map((r) => JSON.stringify(r) + '\n').join(''));
}
