import { join } from 'node:path';
import type { Host, ScriptExit } from '../host';
import { OutputCapture } from '../text/outputCapture';
import type { Evaluation, Task } from './task';

export interface Score {
  /** null when the scoring command failed or printed no finite score */
  score: number | null;
  metric: string;
  higherIsBetter: boolean;
  /** what went wrong, or the scoring command's last line */
  detail: string;
}

/** Runs the training script as it stands (for the baseline), its output saved in the outputs folder. */
export async function runTraining(task: Task, python: string, host: Host, outputsDir: string, label: string, signal: AbortSignal): Promise<{ exit: ScriptExit; output: string }> {
  const script = task.script ?? 'train.py';
  return capture(host, { command: python, args: [script], cwd: task.workspace, purpose: 'eval', display: `${python} ${script}` }, join(outputsDir, `${label}-train.log`), signal);
}

/** Runs the scoring command and reads the score it prints. */
export async function measureScore(evaluation: Evaluation, host: Host, outputsDir: string, label: string, signal: AbortSignal): Promise<Score> {
  const [command, ...args] = evaluation.command;
  const { exit, output } = await capture(host, { command, args, cwd: evaluation.cwd, purpose: 'eval', display: evaluation.command.join(' ') }, join(outputsDir, `${label}-eval.log`), signal);
  const parsed = parseScoreOutput(output);
  const metric = parsed.metric ?? evaluation.metric ?? 'score';
  const higherIsBetter = parsed.higherIsBetter ?? evaluation.higherIsBetter ?? true;
  if (exit.exitCode !== 0) return { score: null, metric, higherIsBetter, detail: `the scoring command exited with ${exit.exitCode ?? 'no exit code'}` };
  return { score: parsed.score, metric, higherIsBetter, detail: parsed.score === null ? 'the scoring command printed no finite score' : lastLine(output) };
}

/** Reads `{"score": …}` JSON (MLAgentBench's eval.py) from the last such line, else the last number printed. */
export function parseScoreOutput(output: string): { score: number | null; metric?: string; higherIsBetter?: boolean } {
  const lines = output.trim().split('\n').reverse();
  for (const line of lines) {
    const match = /"score"\s*:\s*(-?Infinity|NaN|-?[\d.]+(?:[eE][-+]?\d+)?)/.exec(line);
    if (!match) continue;
    const metric = /"metric"\s*:\s*"([^"]*)"/.exec(line)?.[1];
    const hib = /"higher_is_better"\s*:\s*(true|false)/.exec(line)?.[1];
    return { score: finite(Number(match[1])), metric, higherIsBetter: hib === undefined ? undefined : hib === 'true' };
  }
  const numbers = output.match(/-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?/g);
  return { score: numbers ? finite(Number(numbers[numbers.length - 1])) : null };
}

/** (score − baseline) / |baseline|, sign flipped when lower is better; null when either is missing. */
export function improvementOf(baseline: number | null, score: number | null, higherIsBetter: boolean): number | null {
  if (baseline === null || score === null || baseline === 0) return null;
  const change = (score - baseline) / Math.abs(baseline);
  return higherIsBetter ? change : -change;
}

export const SUCCESS_THRESHOLD = 0.1;

async function capture(host: Host, request: Parameters<Host['runScript']>[0], file: string, signal: AbortSignal): Promise<{ exit: ScriptExit; output: string }> {
  const out = new OutputCapture(file);
  try {
    const exit = await host.runScript(request, (chunk) => out.write(chunk), signal);
    return { exit, output: out.text() };
  } finally {
    await out.close();
  }
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? '';
}
