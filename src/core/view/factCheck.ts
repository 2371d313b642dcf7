import type { ArtifactKind, Evidence, FactCheckItem } from '../../shared/viewModels';
import type { SeenExperiment, SeenStep } from './types';

/** What a confirmed statement that cites numbers no measurement holds is marked with. */
const UNCONFIRMED_NOTE = 'claimed confirmed, no measurement found';

/** A finished step as the evidence search reads it. */
type EvidenceStep = Omit<SeenStep, 'action'>;

const STATUS_WORD = /\b(confirmed|verified|observed|guess(?:ed)?)\b/i;
const CONFIRMED = /\b(confirmed|verified|observed)\b/i;
const NEGATED =
  /\b(not|never|no|yet to be|cannot be|can't be|isn't|wasn't)\s+(?:yet\s+|been\s+|be\s+|directly\s+)*(confirmed|verified|observed)\b/i;
const NOTHING =
  /^(none|n\/a|nothing(?: to (?:check|confirm))?|there (?:are|is) no (?:objective )?(?:statements?|facts?)(?: to check)?)\.?$/i;
const BULLET = /^\s*(?:[-*•]|\(?\d+[.)]|\(?[a-z][.)](?=\s))\s*/;

/**
 * The planner's Fact Check, one item per statement, each guessed or confirmed, confirmed ones with
 * their evidence; a confirmed one whose numbers match nothing measured is unconfirmed.
 */
export function parseFactCheck(
  text: string,
  before: readonly EvidenceStep[],
  experiments: readonly SeenExperiment[] = [],
): FactCheckItem[] {
  return splitStatements(text).map((statement): FactCheckItem => {
    const status = statusOf(statement);
    if (status !== 'confirmed') return { statement, status };
    const evidence = findEvidence(statement, before, experiments);
    if (evidence) return { statement, status, evidence };
    return citedNumbers(statement).length > 0 ? { statement, status: 'unconfirmed', note: UNCONFIRMED_NOTE } : { statement, status };
  });
}

/**
 * Lines (bullets and numbering removed); a line that gives several statements each with its own
 * status word ("X is confirmed; the rest is guessed") is split at `;` and sentence ends.
 */
export function splitStatements(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(BULLET, '').trim())
    .filter((line) => line !== '' && !NOTHING.test(line))
    .flatMap(splitLine);
}

function splitLine(line: string): string[] {
  const pieces = line
    .split(/;\s+|(?<=[.!?])\s+(?=[A-Z])/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  const withStatus = pieces.filter((p) => STATUS_WORD.test(p));
  return withStatus.length > 1 && withStatus.length === pieces.length ? pieces : [line];
}

/** An explicit label: "Guessed: …", "… (Confirmed by step 3)", "… - guessed". */
const LABEL = [/^\(?(guessed|confirmed)\)?\s*[:\-–]/i, /\((guessed|confirmed)\b[^)]*\)\W*$/i, /\s[-–:]\s*(guessed|confirmed)\b[^.;]*\W*$/i];

/** Confirmed when it says confirmed, verified or observed, and not "not confirmed"; an explicit label wins. */
export function statusOf(statement: string): 'guessed' | 'confirmed' {
  const label = LABEL.map((pattern) => pattern.exec(statement)?.[1]).find((found) => found !== undefined);
  if (label) return label.toLowerCase() === 'confirmed' ? 'confirmed' : 'guessed';
  return CONFIRMED.test(statement) && !NEGATED.test(statement) ? 'confirmed' : 'guessed';
}

/**
 * The most recent experiment whose metrics hold a number the statement cites (46.26 matches
 * 46.265: the same at the cited precision), else the most recent step whose observation holds
 * such a number or a phrase the statement quotes. Best effort.
 */
export function findEvidence(
  statement: string,
  steps: readonly EvidenceStep[],
  experiments: readonly SeenExperiment[] = [],
): Evidence | undefined {
  const numbers = citedNumbers(statement);
  const phrases = quotedPhrases(statement);
  if (numbers.length === 0 && phrases.length === 0) return undefined;
  return experimentEvidence(numbers, experiments) ?? observationEvidence(numbers, phrases, steps);
}

/** The latest experiment that measured a cited number, or a cited change in % between two measurements of one metric. */
function experimentEvidence(cited: Cited[], experiments: readonly SeenExperiment[]): Evidence | undefined {
  const measured = experiments.filter((e) => e.outcome === 'ok');
  for (let i = measured.length - 1; i >= 0; i--) {
    const e = measured[i];
    const hit = Object.entries(e.metrics).find(([metric, value]) =>
      cited.some((c) => holds(value, c) || (c.percent && holdsChange(metric, value, c, measured.slice(0, i)))),
    );
    if (hit) return { step: e.step, kind: 'output', cite: String(hit[1]), experiment: e.id, metric: hit[0] };
  }
  return undefined;
}

/** "11.9 % better": the change from an earlier measurement of the same metric to this one. */
function holdsChange(metric: string, value: number, cited: Cited, earlier: readonly SeenExperiment[]): boolean {
  return earlier.some((e) => {
    const before = e.metrics[metric];
    return (
      before !== undefined && before !== 0 && holds(Math.abs(((value - before) / before) * 100), { ...cited, value: Math.abs(cited.value) })
    );
  });
}

function observationEvidence(numbers: Cited[], phrases: string[], steps: readonly EvidenceStep[]): Evidence | undefined {
  for (let i = steps.length - 1; i >= 0; i--) {
    const seen = steps[i];
    const hit = findNumber(seen.observation, numbers) ?? findPhrase(seen.observation, phrases);
    if (hit) return { step: seen.step, kind: evidenceKind(seen.artifacts), cite: hit.cite, line: hit.line };
  }
  return undefined;
}

function evidenceKind(artifacts: ArtifactKind[]): ArtifactKind {
  if (artifacts.includes('output')) return 'output';
  if (artifacts.includes('diff')) return 'diff';
  return 'observation';
}

const NUMBER = /(?<![\w.])-?\d+(?:\.\d+)?(?![\w])/g;

interface Cited {
  value: number;
  /** half a unit of the last digit cited */
  tolerance: number;
  /** written as a percentage: may be a change between two measurements */
  percent: boolean;
}

function holds(value: number, cited: Cited): boolean {
  return Math.abs(value - cited.value) <= cited.tolerance;
}

/** Numbers worth matching: not single digits, not step or line numbers. */
function citedNumbers(statement: string): Cited[] {
  const cited: Cited[] = [];
  for (const match of statement.matchAll(NUMBER)) {
    const text = match[0];
    const before = statement.slice(0, match.index ?? 0);
    if (/\b(step|steps|line|lines)\s*$/i.test(before)) continue;
    const decimals = text.includes('.') ? text.split('.')[1].length : 0;
    if (decimals === 0 && Math.abs(Number(text)) < 10) continue;
    const percent = /^\s*%/.test(statement.slice((match.index ?? 0) + text.length));
    cited.push({ value: Number(text), tolerance: 0.5 * 10 ** -decimals + 1e-9, percent });
  }
  return cited;
}

function quotedPhrases(statement: string): string[] {
  const phrases: string[] = [];
  for (const match of statement.matchAll(/"([^"]{3,})"|`([^`]{3,})`|“([^”]{3,})”/g)) phrases.push(match[1] ?? match[2] ?? match[3]);
  return phrases;
}

interface Hit {
  cite: string;
  line: number;
}

function findNumber(observation: string, cited: Cited[]): Hit | undefined {
  if (cited.length === 0) return undefined;
  const lines = observation.split('\n');
  for (let index = 0; index < lines.length; index++) {
    for (const match of lines[index].matchAll(NUMBER)) {
      const value = Number(match[0]);
      if (cited.some((c) => holds(value, c))) return { cite: match[0], line: index + 1 };
    }
  }
  return undefined;
}

function findPhrase(observation: string, phrases: string[]): Hit | undefined {
  const lines = observation.split('\n');
  const lower = lines.map((l) => l.toLowerCase());
  for (const phrase of phrases) {
    const index = lower.findIndex((l) => l.includes(phrase.toLowerCase()));
    if (index >= 0) return { cite: phrase, line: index + 1 };
  }
  return undefined;
}
