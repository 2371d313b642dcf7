import { computeTarget, type ComputeSettings } from '../config';
import type { Host, ScriptExit, ScriptRequest } from '../host';
import type { RunEventListener } from '../events';
import type { ResearchLog } from '../memory/researchLog';
import type { Redactor } from '../secrets/redactor';
import { LastLine } from '../text/lastLine';
import { OutputCapture } from '../text/outputCapture';
import { Throttle } from '../text/throttle';
import { startCodeFacts, type CodeFacts } from './codeFactsOf';
import { redactSnapshots } from './codeSnapshot';
import { DataFiles } from './dataFiles';
import { EnvProbe } from './envProbe';
import { appendExperiment, syncExperiments } from './experimentLog';
import { gitState } from './gitState';
import { MetricTracker } from './metricTracker';
import type { ExperimentKind, ExperimentRecord } from './types';
import { clip } from '../../shared/text';

/** At most four `script-output` events a second. */
const SCRIPT_OUTPUT_INTERVAL_MS = 250;

/** One script run to record. */
export interface ExperimentRun {
  kind: ExperimentKind;
  label?: 'baseline' | 'final';
  step: number;
  /** the script: relative to `codeRoot` when set, else a name to show (a hidden scoring script) */
  script: string;
  /** the folder whose code the run uses (the workspace, or the baseline's scratch copy); unset for scoring */
  codeRoot?: string;
  request: ScriptRequest;
  /** where the full output goes */
  outputFile: string;
  /** how the output file is named to the agent */
  displayPath?: string;
  /** scoring runs: the task's score, read from the whole output's end */
  readScore?: (output: string) => { metric: string; score: number | null; higherIsBetter: boolean };
}

export interface ExperimentResult {
  exit: ScriptExit;
  capture: OutputCapture;
  record: ExperimentRecord;
}

export interface RecorderDeps {
  runDir: string;
  /** the workspace: git state and the path of data files are relative to it */
  workspace: string;
  python: string;
  host: Host;
  /** where scripts run (the record and the sidebar say so); unset: this machine */
  compute?: ComputeSettings;
  log: ResearchLog;
  emit: RunEventListener;
  /** the whole environment of every script (without the provider keys); unset: the host's */
  scriptEnv?: Record<string, string>;
  /** takes the provider keys out of outputs, records and code snapshots */
  redactor?: Redactor;
}

/**
 * Runs scripts as experiments: each run's output is captured and its metrics parsed as they
 * arrive; code, data, seeds, git and the Python environment are described while the script runs;
 * the record goes to the run's log (and so to every listener) and to experiments.jsonl.
 */
export class ExperimentRecorder {
  private readonly envProbe: EnvProbe;
  private readonly dataFiles: DataFiles;
  private readonly records: ExperimentRecord[];

  constructor(private readonly deps: RecorderDeps) {
    this.envProbe = new EnvProbe(deps.python, deps.workspace);
    this.dataFiles = new DataFiles();
    this.records = deps.log.ofType('experiment').map((r) => r.experiment);
    syncExperiments(deps.runDir, this.records);
  }

  /** Every experiment so far, oldest first. */
  all(): readonly ExperimentRecord[] {
    return this.records;
  }

  /** The interpreter's environment for the given modules (probed once per run). */
  get env(): EnvProbe {
    return this.envProbe;
  }

  async run(run: ExperimentRun, signal: AbortSignal): Promise<ExperimentResult> {
    const id = this.records.length + 1;
    const { emit } = this.deps;
    const startedAt = new Date();
    const where = this.deps.compute && computeTarget(this.deps.compute, run.request.purpose);
    emit({
      type: 'experiment-started',
      id,
      step: run.step,
      kind: run.kind,
      script: run.script,
      command: run.request.display,
      startedAt: startedAt.getTime(),
      timeoutSec: run.request.timeoutSec ?? null,
      ...(where ? { where } : {}),
    });
    const capture = new OutputCapture(run.outputFile, { displayPath: run.displayPath, redactor: this.deps.redactor });
    const metrics = new MetricTracker((name, value) => emit({ type: 'metric', experiment: id, step: run.step, name, value }));
    const lines = this.lineReporter(run.step);
    let exit: ScriptExit;
    // the script starts first; what its code and data are is read meanwhile, so the step waits for neither
    const request = this.deps.scriptEnv ? { ...run.request, env: this.deps.scriptEnv } : run.request;
    const onOutput = (chunk: string) => (capture.write(chunk), metrics.push(chunk), lines.push(chunk));
    const running = this.deps.host.runScript(request, onOutput, signal);
    const described = this.startDescribing(run).catch(() => async () => undefined);
    try {
      exit = await running;
    } finally {
      lines.stop();
      await capture.close();
      metrics.finish();
      // nothing of this run is still writing into the run folder when it returns, even when the host failed
      await described;
    }
    const durationMs = Date.now() - startedAt.getTime();
    const facts = await (await described)();
    const record = this.recordOf(run, { id, startedAt, durationMs, exit, capture, metrics, facts });
    this.append(record);
    return { exit, capture, record };
  }

  /** Tells listeners the last line the script printed, a few times a second at most, without the provider keys. */
  private lineReporter(step: number): { push(chunk: string): void; stop(): void } {
    const redact = (text: string) => this.deps.redactor?.text(text) ?? text;
    const lastLine = new LastLine();
    const throttle = new Throttle<string>(SCRIPT_OUTPUT_INTERVAL_MS, (line) => this.deps.emit({ type: 'script-output', step, line }));
    let shown: string | undefined;
    return {
      push: (chunk) => {
        const line = lastLine.push(chunk);
        if (line === undefined || line === shown) return;
        shown = line;
        throttle.push(redact(line));
      },
      stop: () => throttle.stop(),
    };
  }

  private recordOf(
    run: ExperimentRun,
    parts: {
      id: number;
      startedAt: Date;
      durationMs: number;
      exit: ScriptExit;
      capture: OutputCapture;
      metrics: MetricTracker;
      facts: CodeFacts | undefined;
    },
  ): ExperimentRecord {
    const { exit, capture, metrics, facts } = parts;
    const outcome = outcomeOf(exit);
    const record: ExperimentRecord = {
      id: parts.id,
      step: run.step,
      kind: run.kind,
      ...(run.label ? { label: run.label } : {}),
      script: run.script,
      command: run.request.display,
      interpreter: run.request.command,
      startedAt: parts.startedAt.toISOString(),
      durationMs: parts.durationMs,
      exitCode: exit.exitCode,
      outcome,
      metrics: metrics.last(),
      ...(metrics.hasSeries() ? { series: metrics.series() } : {}),
      ...facts,
      output: relativeOutput(this.deps.runDir, run.outputFile),
    };
    if (run.readScore && outcome === 'ok') {
      const score = run.readScore(capture.text());
      record.taskMetric = score.metric;
      record.higherIsBetter = score.higherIsBetter;
      if (score.score !== null) record.metrics = { ...record.metrics, [score.metric]: score.score };
    }
    if (outcome === 'failed' || outcome === 'timeout') record.error = errorLine(capture.text(), exit);
    if (exit.gpu) record.env = { ...(record.env ?? { python: 'unknown', packages: {} }), gpu: exit.gpu };
    return record;
  }

  /**
   * What the run's code is: the code and the data files as they are when it starts; hashes, git and
   * the environment are completed while the script runs, so they add little to the step.
   */
  private async startDescribing(run: ExperimentRun): Promise<() => Promise<CodeFacts | undefined>> {
    const root = run.codeRoot;
    if (!root) return async () => undefined;
    const parent = [...this.records].reverse().find((r) => r.script === run.script && r.code);
    const git = gitState(root).catch(() => undefined);
    const facts = await startCodeFacts({
      root,
      script: run.script,
      runDir: this.deps.runDir,
      parent,
      envProbe: this.envProbe,
      dataFiles: this.dataFiles,
    }).catch(() => async () => ({}));
    return async () => {
      const [described, repository] = await Promise.all([facts().catch(() => ({})), git]);
      return { ...described, ...(repository ? { git: repository } : {}) };
    };
  }

  private append(described: ExperimentRecord): void {
    const record = this.redacted(described);
    this.records.push(record);
    this.deps.log.append({ type: 'experiment', experiment: record });
    appendExperiment(this.deps.runDir, record);
  }

  /** The record without the provider keys; the code snapshots it names are redacted too. */
  private redacted(record: ExperimentRecord): ExperimentRecord {
    const { redactor } = this.deps;
    if (!redactor) return record;
    redactSnapshots(this.deps.runDir, Object.values(record.code ?? {}), (text) => redactor.text(text));
    const json = JSON.stringify(record);
    const safe = redactor.text(json);
    return safe === json ? record : (JSON.parse(safe) as ExperimentRecord);
  }
}

function outcomeOf(exit: ScriptExit): ExperimentRecord['outcome'] {
  if (exit.declined) return 'declined';
  if (exit.cancelled) return 'cancelled';
  if (exit.timedOut) return 'timeout';
  return exit.exitCode === 0 ? 'ok' : 'failed';
}

/** The line that says what went wrong: the last `XxxError: …` line, else the last line printed. */
export function errorLine(output: string, exit: ScriptExit): string {
  if (exit.timedOut) return 'stopped at the time limit';
  if (exit.failure) return clip(exit.failure, 300);
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const error = [...lines].reverse().find((l) => /^[\w.]*(Error|Exception|Interrupt)\b.*/.test(l) || /^Killed\b/.test(l));
  return clip(error ?? lines[lines.length - 1] ?? `exit code ${exit.exitCode ?? 'none'}`, 300);
}

function relativeOutput(runDir: string, file: string): string {
  return file.startsWith(runDir)
    ? file
        .slice(runDir.length + 1)
        .split('\\')
        .join('/')
    : file;
}
