import type { ArtifactKind, Evidence, FactCheckItem } from '../../shared/viewModels';

/** A finished step, as the fact check searches it for evidence. */
export interface SeenStep {
  step: number;
  observation: string;
  /** files the step produced */
  artifacts: ArtifactKind[];
}

const STATUS_WORD = /\b(confirmed|verified|observed|guess(?:ed)?)\b/i;
const CONFIRMED = /\b(confirmed|verified|observed)\b/i;
const NEGATED = /\b(not|never|no|yet to be|cannot be|can't be|isn't|wasn't)\s+(?:yet\s+|been\s+|be\s+|directly\s+)*(confirmed|verified|observed)\b/i;
const NOTHING = /^(none|n\/a|nothing(?: to (?:check|confirm))?|there (?:are|is) no (?:objective )?(?:statements?|facts?)(?: to check)?)\.?$/i;
const BULLET = /^\s*(?:[-*•]|\(?\d+[.)]|\(?[a-z][.)](?=\s))\s*/;

/** The planner's Fact Check, one item per statement, each guessed or confirmed, confirmed ones with evidence. */
export function parseFactCheck(text: string, before: readonly SeenStep[]): FactCheckItem[] {
  return splitStatements(text).map((statement) => {
    const status = statusOf(statement);
    const evidence = status === 'confirmed' ? findEvidence(statement, before) : undefined;
    return evidence ? { statement, status, evidence } : { statement, status };
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
 * The most recent step whose observation holds a number the statement cites (46.26 matches
 * 46.265: the same at the cited precision) or a phrase it quotes. Best effort.
 */
export function findEvidence(statement: string, steps: readonly SeenStep[]): Evidence | undefined {
  const numbers = citedNumbers(statement);
  const phrases = quotedPhrases(statement);
  if (numbers.length === 0 && phrases.length === 0) return undefined;
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
    cited.push({ value: Number(text), tolerance: 0.5 * 10 ** -decimals + 1e-9 });
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
      if (cited.some((c) => Math.abs(value - c.value) <= c.tolerance)) return { cite: match[0], line: index + 1 };
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
