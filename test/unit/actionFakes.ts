import { spawn } from 'node:child_process';
import { ExperimentRecorder } from '../../src/core/experiments/recorder';
import { ResearchLog } from '../../src/core/memory/researchLog';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ActionContext, WorkerLlm, WorkerRequest } from '../../src/core/actions/action';
import type { EditDecision, EditProposal, Host, ScriptExit, ScriptRequest } from '../../src/core/host';
import type { StepRecord } from '../../src/core/memory/types';
import { Workspace } from '../../src/core/workspace';

/** Fakes shared by the action tests: an in-memory Host, a scripted worker, real temp folders. */

export type Decide = (proposal: EditProposal) => EditDecision;

export const accept: Decide = (p) => ({ accepted: true, text: p.proposed, userModified: false });

export class FakeHost implements Host {
  readonly proposals: EditProposal[] = [];
  readonly scripts: ScriptRequest[] = [];
  readonly logs: string[] = [];
  decide: Decide = accept;
  /** set to decline script runs */
  declineReason: string | undefined;
  declineScripts = false;

  async proposeEdit(proposal: EditProposal): Promise<EditDecision> {
    this.proposals.push(proposal);
    const decision = this.decide(proposal);
    if (decision.accepted) {
      await fs.mkdir(path.dirname(proposal.path), { recursive: true });
      await fs.writeFile(proposal.path, decision.text, 'utf8');
    }
    return decision;
  }

  /** Really spawns the process, like the CLI host. */
  runScript(request: ScriptRequest, onOutput: (chunk: string) => void, signal: AbortSignal): Promise<ScriptExit> {
    this.scripts.push(request);
    if (this.declineScripts) {
      return Promise.resolve({ exitCode: null, timedOut: false, cancelled: false, declined: true, declineReason: this.declineReason });
    }
    return new Promise((resolve) => {
      const child = spawn(request.command, request.args, { cwd: request.cwd, env: { ...process.env, PYTHONUNBUFFERED: '1' } });
      let timedOut = false;
      let cancelled = false;
      const timer =
        request.timeoutSec !== undefined
          ? setTimeout(() => ((timedOut = true), child.kill('SIGKILL')), request.timeoutSec * 1000)
          : undefined;
      const onAbort = () => ((cancelled = true), child.kill('SIGKILL'));
      signal.addEventListener('abort', onAbort, { once: true });
      child.stdout.setEncoding('utf8').on('data', onOutput);
      child.stderr.setEncoding('utf8').on('data', onOutput);
      child.on('error', () => onOutput(`cannot start ${request.command}\n`));
      child.on('close', (code) => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve({ exitCode: timedOut || cancelled ? null : code, timedOut, cancelled });
      });
    });
  }

  log(_level: string, message: string): void {
    this.logs.push(message);
  }
}

export type Reply = string | ((request: WorkerRequest) => string);

/** Answers from a script of replies and checks each with `verify`, as the real cascade does. */
export class FakeWorker implements WorkerLlm {
  readonly requests: WorkerRequest[] = [];
  /** what verify said about rejected replies */
  readonly problems: string[] = [];

  constructor(private readonly replies: Reply[] = []) {}

  push(...replies: Reply[]): void {
    this.replies.push(...replies);
  }

  async ask(request: WorkerRequest, signal: AbortSignal): Promise<string> {
    signal.throwIfAborted();
    this.requests.push(request);
    while (this.replies.length > 0) {
      const next = this.replies.shift()!;
      const reply = typeof next === 'function' ? next(request) : next;
      const problem = await request.verify?.(reply);
      if (problem === undefined) return reply;
      this.problems.push(problem);
    }
    throw new Error(`every worker model failed: ${this.problems.at(-1) ?? 'no replies left'}`);
  }
}

export interface Harness {
  ctx: ActionContext;
  root: string;
  runDir: string;
  host: FakeHost;
  worker: FakeWorker;
  steps: StepRecord[];
  file(rel: string): string;
  write(rel: string, text: string): Promise<void>;
  read(rel: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function makeHarness(options: { readOnly?: string[]; step?: number; timeoutSec?: number } = {}): Promise<Harness> {
  const base = await fs.mkdtemp(path.join(os.tmpdir(), 'budgetml-actions-'));
  const root = path.join(base, 'work');
  const runDir = path.join(base, 'run');
  await fs.mkdir(root);
  await fs.mkdir(runDir);
  const host = new FakeHost();
  const worker = new FakeWorker();
  const steps: StepRecord[] = [];
  const ctx: ActionContext = {
    workspace: new Workspace(root, options.readOnly ?? []),
    host,
    worker,
    dirs: { run: runDir, outputs: path.join(runDir, 'outputs'), backup: path.join(runDir, 'backup') },
    python: '/usr/bin/python3',
    scriptTimeoutSec: options.timeoutSec,
    step: options.step ?? 1,
    log: { steps: () => steps },
    experiments: new ExperimentRecorder({
      runDir,
      workspace: root,
      python: '/usr/bin/python3',
      host,
      log: ResearchLog.create(path.join(runDir, 'log.jsonl')),
      emit: () => {},
    }),
    signal: new AbortController().signal,
  };
  const file = (rel: string) => path.join(root, rel);
  return {
    ctx,
    root: ctx.workspace.root,
    runDir,
    host,
    worker,
    steps,
    file,
    write: async (rel, text) => {
      await fs.mkdir(path.dirname(file(rel)), { recursive: true });
      await fs.writeFile(file(rel), text);
    },
    read: (rel) => fs.readFile(file(rel), 'utf8'),
    cleanup: () => fs.rm(base, { recursive: true, force: true }),
  };
}

/** A code block reply as an editor would write it. */
export function fenced(code: string, language = 'python'): string {
  return `Here is the edited file.\n\`\`\`${language}\n${code}\`\`\`\n`;
}

export function step(n: number, action: string, actionInput: Record<string, unknown>, observation: string, thought = ''): StepRecord {
  return {
    type: 'step',
    step: n,
    time: new Date(0).toISOString(),
    response: { reflection: '', researchPlan: `plan at step ${n}`, factCheck: '', thought, action, actionInput },
    observation,
    model: 'test:model',
  };
}
