import { basename } from 'node:path';
import type { ScriptRequest } from '../host';
import type { Evaluation } from './task';

export interface Score {
  /** null when the scoring command failed or printed no finite score */
  score: number | null;
  metric: string;
  higherIsBetter: boolean;
  /** what went wrong, or the scoring command's last line */
  detail: string;
}

/**
 * Scores a folder by importing eval.py and calling `get_score(folder)`, as MLAgentBench does (run as a
 * script, its eval.py would ignore the folder and score its own `../env`). An eval.py without
 * `get_score` is run as a script with the folder as its argument (this project's own format).
 * The score is printed last as a JSON line.
 */
const SCORING_HARNESS = `
import importlib.util, json, os, runpy, sys
path, folder = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(path))
spec = importlib.util.spec_from_file_location("eval", path)
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
if not hasattr(module, "get_score"):
    sys.argv = [path, folder]
    runpy.run_path(path, run_name="__main__")
    sys.exit(0)
score = module.get_score(folder)
sys.stdout.flush()
print(json.dumps({"score": float(score)}))
`;

/** The process that scores `folder` (the workspace, or the baseline's scratch copy). */
export function scoringRequest(evaluation: Evaluation, python: string, folder: string): ScriptRequest {
  if (evaluation.kind === 'module') {
    const script = evaluation.script;
    return {
      command: python,
      args: ['-c', SCORING_HARNESS, script, folder],
      cwd: evaluation.cwd,
      purpose: 'eval',
      display: `${python} ${basename(script)}: get_score(${folder})`,
    };
  }
  // a command (also what a run folder written before evaluations had kinds holds)
  const [command, ...args] = evaluation.command;
  return { command, args, cwd: evaluation.cwd, purpose: 'eval', display: evaluation.command.join(' ') };
}

/** Reads the task's score from a scoring run's output, with the evaluation's metric and direction. */
export function scoreReader(evaluation: Evaluation): (output: string) => { metric: string; score: number | null; higherIsBetter: boolean } {
  return (output) => {
    const parsed = parseScoreOutput(output);
    return {
      score: parsed.score,
      metric: evaluation.metric ?? parsed.metric ?? 'score',
      higherIsBetter: evaluation.higherIsBetter ?? parsed.higherIsBetter ?? true,
    };
  };
}

/** Reads `{"score": …}` JSON (MLAgentBench's eval.py) from the last such line, else the last number printed. */
function parseScoreOutput(output: string): { score: number | null; metric?: string; higherIsBetter?: boolean } {
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

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
