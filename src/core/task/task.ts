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
}

export interface Evaluation {
  /** argv of the scoring command; it prints a JSON line with "score" (MLAgentBench) or a number last */
  command: string[];
  /** folder the scoring command runs in */
  cwd: string;
  /** when unset, taken from the scoring command's JSON line ("metric", "higher_is_better") */
  metric?: string;
  higherIsBetter?: boolean;
}
