import type { TimelineEntry } from '../../shared/viewModels';

/**
 * What the timeline says of each step besides its action: when it started, when its observation
 * came, what its model calls cost, the user's notes that went into its prompt.
 */

export interface StepFacts {
  /** ms since the epoch: the step's first model call, else its start event */
  startedAt?: number;
  /** the start came from a model call (a step's first call is what its log keeps) */
  startedByCall: boolean;
  /** ms since the epoch: its observation */
  endedAt?: number;
  usd: number;
  notes: string[];
}

export type StepFactsByStep = Readonly<Record<number, StepFacts>>;

const NONE: StepFacts = { startedByCall: false, usd: 0, notes: [] };

export function factsOf(facts: StepFactsByStep, step: number): StepFacts {
  return facts[step] ?? NONE;
}

function withFacts(facts: StepFactsByStep, step: number, change: (f: StepFacts) => StepFacts): StepFactsByStep {
  return { ...facts, [step]: change(factsOf(facts, step)) };
}

/** The step's start event gives its start unless a model call of it already did. */
export function stepStartedAt(facts: StepFactsByStep, step: number, at: number | undefined): StepFactsByStep {
  if (at === undefined || factsOf(facts, step).startedAt !== undefined) return facts;
  return withFacts(facts, step, (f) => ({ ...f, startedAt: at }));
}

/** The step's first model call is its start (the same in the live run and in its log). */
export function callStartedAt(facts: StepFactsByStep, step: number, at: number): StepFactsByStep {
  if (factsOf(facts, step).startedByCall) return facts;
  return withFacts(facts, step, (f) => ({ ...f, startedAt: at, startedByCall: true }));
}

export function callBooked(facts: StepFactsByStep, step: number, usd: number): StepFactsByStep {
  return withFacts(facts, step, (f) => ({ ...f, usd: f.usd + usd }));
}

export function noteTaken(facts: StepFactsByStep, step: number, text: string): StepFactsByStep {
  return withFacts(facts, step, (f) => ({ ...f, notes: [...f.notes, text] }));
}

export function stepObservedAt(facts: StepFactsByStep, step: number, at: number): StepFactsByStep {
  return withFacts(facts, step, (f) => ({ ...f, endedAt: at }));
}

/** The entry with its step's facts: duration once observed, cost, notes. */
export function entryWithFacts(entry: TimelineEntry, facts: StepFactsByStep): TimelineEntry {
  const { startedAt: _s, durationMs: _d, ...rest } = entry;
  const f = factsOf(facts, entry.step);
  const timing = f.startedAt === undefined ? {} : { startedAt: f.startedAt };
  const duration =
    f.startedAt !== undefined && f.endedAt !== undefined && entry.done ? { durationMs: Math.max(0, f.endedAt - f.startedAt) } : {};
  return { ...rest, ...timing, ...duration, usd: f.usd, notes: f.notes };
}

/** Refreshes the entry of `step` (when the timeline has it) from the facts. */
export function timelineWithFacts(timeline: TimelineEntry[], facts: StepFactsByStep, step: number): TimelineEntry[] {
  if (!timeline.some((t) => t.step === step)) return timeline;
  return timeline.map((t) => (t.step === step ? entryWithFacts(t, facts) : t));
}

/** ms since the epoch of an ISO time; undefined when it is not one. */
export function epochMs(time: string): number | undefined {
  const ms = Date.parse(time);
  return Number.isFinite(ms) ? ms : undefined;
}
