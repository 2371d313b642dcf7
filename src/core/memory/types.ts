import type { PlannerResponse } from '../format/response';

/** One finished step of a run, as kept in the research log. */
export interface StepRecord {
  type: 'step';
  step: number;
  time: string;
  response: PlannerResponse;
  observation: string;
  /** the planner model that chose the action */
  model: string;
  /** what the planner was told before it chose this step: files that changed on disk since the run edited them */
  notice?: string;
  /** files the step produced, relative to the run folder: a diff, a script's full output */
  artifacts?: { diff?: string; output?: string };
}

/** Read access to the steps so far, for Reflection and Retrieval from Research Log. */
export interface ResearchLogView {
  steps(): readonly StepRecord[];
}
