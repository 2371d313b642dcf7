/** A task the agent works on: a goal, a workspace, and optionally a way to score the result. */
export interface Task {
  /** the research problem as the agent is told it */
  goal: string;
  /** absolute path of the folder the agent works in */
  workspace: string;
  /** globs (relative to the workspace) the agent may not write */
  readOnlyGlobs: string[];
  /** the training script, relative to the workspace (for the baseline and as the default script) */
  script?: string;
  evaluation?: Evaluation;
  /** set for an MLAgentBench task folder: its `env/` is prepared and copied into the workspace */
  benchmark?: BenchmarkFolder;
}

export interface BenchmarkFolder {
  /** the task folder */
  folder: string;
  /** what the agent sees: copied into the workspace (and, for the baseline, into a scratch folder) */
  env: string;
  /** hidden from the agent: eval.py, prepare.py, research_problem.txt */
  scripts: string;
}

/**
 * How a result is scored.
 * 'module': MLAgentBench's way: `eval.py` is imported and `get_score(<folder>)` called (cwd: its folder);
 *   a script without `get_score` is run as `python eval.py <folder>` and its JSON line read.
 * 'command': this project's workspace task: a command run in the workspace that prints the score.
 */
export type Evaluation = ModuleEvaluation | CommandEvaluation;

interface EvaluationBase {
  /** folder the scoring runs in */
  cwd: string;
  /** when unset, taken from the scoring output's JSON line ("metric", "higher_is_better") */
  metric?: string;
  higherIsBetter?: boolean;
}

export interface ModuleEvaluation extends EvaluationBase {
  kind: 'module';
  /** absolute path of eval.py */
  script: string;
}

export interface CommandEvaluation extends EvaluationBase {
  kind: 'command';
  /** argv of the scoring command; it prints a JSON line with "score" or a number last */
  command: string[];
}
