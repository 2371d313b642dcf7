/** The planner's structured answer, in MLAgentBench's order. */
export interface PlannerResponse {
  reflection: string;
  researchPlan: string;
  factCheck: string;
  thought: string;
  action: string;
  /** already validated against the action's schema (numbers coerced) */
  actionInput: Record<string, unknown>;
}

/** The six entries, as the model must write them. */
export const RESPONSE_ENTRIES = ['Reflection', 'Research Plan and Status', 'Fact Check', 'Thought', 'Action', 'Action Input'] as const;
