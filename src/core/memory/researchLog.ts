import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ExperimentRecord, UnverifiedClaim, Verdict } from '../experiments/types';
import type { CallStart } from '../cost/ledger';
import type { Usage } from '../llm/types';
import type { ResearchLogView, StepRecord } from './types';

/** One model request, as the ledger and the log keep it. */
export interface CallRecord {
  type: 'call';
  time: string;
  step: number;
  role: 'planner' | 'worker' | 'expert';
  model: string;
  purpose: string;
  attempt: number;
  usage: Usage;
  usd: number;
  priced: boolean;
  latencyMs: number;
  /** set when the request failed; its tokens (if any) were still counted */
  error?: string;
  /** the `call-started` record this call ends */
  callId?: string;
}

export type LogRecord =
  | { type: 'run'; time: string; runId: string; goal: string; workspace: string; models: unknown; budgetUsd: number }
  | CallRecord
  /** written before a request is sent: a run that dies before the call ends books its worst case */
  | ({ type: 'call-started'; time: string } & CallStart)
  | StepRecord
  | { type: 'escalation'; time: string; step: number; role: string; from: string; to: string; reason: string; addedUsd: number }
  | { type: 'lifeline'; time: string; step: number; used: number; reason: string }
  | {
      type: 'score';
      time: string;
      label: 'baseline' | 'final';
      score: number | null;
      metric: string;
      higherIsBetter?: boolean;
      detail?: string;
    }
  | { type: 'warning'; time: string; message: string }
  | { type: 'experiment'; time: string; experiment: ExperimentRecord }
  | { type: 'verdict'; time: string; verdict: Verdict; unverifiedClaims: UnverifiedClaim[] }
  | { type: 'resume'; time: string; fromStep: number }
  /** a note the user wrote in the sidebar; it goes into the planner's prompt for `step` */
  | { type: 'user-note'; time: string; step: number; text: string }
  | { type: 'end'; time: string; status: string; message?: string };

/** Takes the secrets out of a text. */
export type Redact = (text: string) => string;

/** Records without their timestamp: the log adds it. */
export type NewLogRecord = LogRecord extends infer R ? (R extends LogRecord ? Omit<R, 'time'> : never) : never;

/**
 * The research log of one run: an append-only JSONL file. Every line is written synchronously,
 * so after a crash the file holds every finished step and every call that was paid for.
 */
export class ResearchLog implements ResearchLogView {
  private readonly records: LogRecord[];
  private readonly listeners: Array<(record: LogRecord) => void> = [];

  private constructor(
    readonly path: string,
    records: LogRecord[],
    private readonly redact: Redact,
  ) {
    this.records = records;
  }

  /** `redact` takes the secrets out of every line before it is written or kept. */
  static create(path: string, redact: Redact = (text) => text): ResearchLog {
    mkdirSync(dirname(path), { recursive: true });
    if (!existsSync(path)) return new ResearchLog(path, [], redact);
    const { records, torn } = readRecords(path);
    // drop a torn last line so the next record starts on a line of its own
    if (torn) writeFileSync(path, records.map((r) => JSON.stringify(r) + '\n').join(''));
    return new ResearchLog(path, records, redact);
  }

  append(record: NewLogRecord): LogRecord {
    const written = { ...record, time: new Date().toISOString() } as LogRecord;
    const line = JSON.stringify(written);
    const safe = this.redact(line);
    // parsed back only when a secret was taken out, so the kept record is the written one
    const full = safe === line ? written : (JSON.parse(safe) as LogRecord);
    appendFileSync(this.path, safe + '\n');
    this.records.push(full);
    for (const listener of this.listeners) listener(full);
    return full;
  }

  /** Calls `listener` with every record appended from now on, after it is on disk. */
  onAppend(listener: (record: LogRecord) => void): void {
    this.listeners.push(listener);
  }

  all(): readonly LogRecord[] {
    return this.records;
  }

  steps(): readonly StepRecord[] {
    return this.records.filter((r): r is StepRecord => r.type === 'step');
  }

  ofType<T extends LogRecord['type']>(type: T): Extract<LogRecord, { type: T }>[] {
    return this.records.filter((r) => r.type === type) as Extract<LogRecord, { type: T }>[];
  }
}

/** Reads a log; a torn last line (a crash mid-write) is dropped, any other bad line is an error. */
function readRecords(path: string): { records: LogRecord[]; torn: boolean } {
  const lines = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const records: LogRecord[] = [];
  let torn = false;
  lines.forEach((line, index) => {
    try {
      records.push(JSON.parse(line) as LogRecord);
    } catch {
      if (index !== lines.length - 1) throw new Error(`the research log ${path} is damaged at line ${index + 1}`);
      torn = true;
    }
  });
  return { records, torn };
}
