import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { RunDirs, WorkerLlm } from '../actions/action';
import { LandedEdits } from '../actions/diskDrift';
import { createWorker } from '../agents/worker';
import type { PlannerSetup } from '../agents/planner';
import type { Config } from '../config';
import { BudgetGuard } from '../cost/budget';
import { Ledger } from '../cost/ledger';
import type { RunEventListener } from '../events';
import { eventStream } from './eventStream';
import { ExperimentRecorder } from '../experiments/recorder';
import { Redactor } from '../secrets/redactor';
import { scriptEnvironment } from '../secrets/scriptEnv';
import { chainFor, type CascadeDeps } from '../llm/cascade';
import { ModelClient } from '../llm/client';
import { Lifelines } from '../llm/lifelines';
import { ProviderPool, requireKey } from '../llm/providers';
import { parseModelRef, type ModelRef } from '../llm/types';
import { ResearchLog } from '../memory/researchLog';
import type { RunOptions } from '../run';
import type { Task } from '../task/task';
import { Workspace } from '../workspace';

/** Everything one run works with, built once at its start (or rebuilt from its log to resume it). */
export interface RunContext {
  runId: string;
  task: Task;
  config: Config;
  options: RunOptions;
  dirs: RunDirs;
  log: ResearchLog;
  ledger: Ledger;
  budget: BudgetGuard;
  lifelines: Lifelines;
  workspace: Workspace;
  planner: PlannerSetup;
  worker: WorkerLlm;
  /** every script run of the run, recorded */
  experiments: ExperimentRecorder;
  /** what the accepted edits put on disk (a file changed afterwards is reported to the planner) */
  landed: LandedEdits;
  /** takes the provider keys out of every text written or sent */
  redactor: Redactor;
  emit: RunEventListener;
  /** the step being run */
  step: number;
}

export async function openRun(options: RunOptions): Promise<RunContext> {
  const { config, runDir } = options;
  if (!options.replay) checkKeys(options);
  const dirs: RunDirs = { run: runDir, outputs: join(runDir, 'outputs'), backup: join(runDir, 'backup') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const secrets = providerSecrets(config, options.keys);
  const redactor = new Redactor(secrets);
  const log = ResearchLog.create(join(runDir, 'log.jsonl'), (text) => redactor.text(text));
  if (!options.resume && log.all().length > 0) throw new Error(`${runDir} already holds a run; resume it or choose another folder`);
  const ledger = Ledger.fromLog(log.all());
  const lifelines = new Lifelines(config.lifelines, log.ofType('lifeline').length);
  const emit = eventStream(log, options.onEvent ? [options.onEvent] : [], (message) => options.host.log('warn', message));
  const budget = new BudgetGuard(config.budgetUsd, ledger);
  const client = new ModelClient({
    ...{ config, providers: new ProviderPool(config, options.keys, options.replay), ledger, budget, log, emit },
    redact: (text) => redactor.text(text),
    onCallStarted: (start) => log.append({ type: 'call-started', ...start }),
    cacheKey: basename(runDir),
  });
  const expert = parseModelRef(config.models.expert);
  const deps: CascadeDeps = {
    client,
    ledger,
    lifelines,
    log,
    emit,
    expertId: expert.id,
    maxFormatRetries: config.cascade.maxFormatRetries,
  };
  const workers = config.models.worker.map(parseModelRef);
  const context: RunContext = {
    runId: basename(runDir),
    task: options.task,
    config,
    options,
    dirs,
    log,
    ledger,
    budget,
    lifelines,
    workspace: await Workspace.open(options.task.workspace, options.task.readOnlyGlobs, [runDir]),
    planner: plannerSetup(config, deps, expert),
    // the worker logs the step being run, read when it is asked
    worker: createWorker({
      deps,
      chain: chainFor(workers, expert),
      listLength: workers.length,
      maxOutputTokens: config.maxOutputTokens.worker,
      step: () => context.step,
    }),
    redactor,
    experiments: new ExperimentRecorder({
      runDir,
      workspace: options.task.workspace,
      python: config.python,
      host: options.host,
      compute: config.compute,
      log,
      emit,
      redactor,
      scriptEnv: scriptEnvironment(
        process.env,
        config,
        secrets.map((s) => s.value),
      ),
    }),
    landed: new LandedEdits(),
    emit,
    step: log.steps().length + 1,
  };
  return context;
}

function plannerSetup(config: Config, deps: CascadeDeps, expert: ModelRef): PlannerSetup {
  const planners = config.models.planner.map(parseModelRef);
  return {
    deps,
    chain: chainFor(planners, expert),
    listLength: planners.length,
    expert,
    maxOutputTokens: config.maxOutputTokens.planner,
    repeatLimit: config.cascade.repeatLimit,
  };
}

/** Fails before anything is spent when a configured model's provider has no key and no local server. */
function checkKeys({ config, keys }: RunOptions): void {
  const ids = [...config.models.planner, ...config.models.worker, config.models.expert];
  for (const provider of new Set(ids.map((id) => parseModelRef(id).provider))) requireKey(provider, config, keys);
}

/** The provider keys the run knows, named after their environment variables. */
export function providerSecrets(config: Config, keys: RunOptions['keys']): Array<{ value: string | undefined; name: string }> {
  return [
    { value: keys.openai, name: config.providers.openai.apiKeyEnv },
    { value: keys.gemini, name: config.providers.gemini.apiKeyEnv },
  ];
}
