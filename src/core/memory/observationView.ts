import { parseMetricLine } from '../experiments/metrics';
import { clip } from '../../shared/text';

/**
 * Views of a step's observation for prompts: cut to a budget with the end kept (a run's results and
 * errors come last), and a one-line gist for the research-log summary.
 */

export interface ObservationBudget {
  /** characters in all, markers of omitted lines included */
  maxChars: number;
  /** characters of leading lines kept (the first line is always kept, clipped if need be) */
  headChars: number;
  /** runs of lines of one shape keep only their last line */
  thinRepeats?: boolean;
}

/** The note an output capture leaves where it cut the output: it names the file with the full output. */
const FULL_OUTPUT_NOTE = /\bthe full output (?:is in|could not be saved)\b/;
/** The line an Execute Script observation ends with. */
const EXPERIMENT_LINE = /^Recorded as experiment #\d+/;
/** Metric lines may take at most this share of the budget; the latest are kept first. */
const METRIC_SHARE = 0.4;
/** What a marker of left-out lines may take. */
const MARKER_CHARS = 28;

/**
 * The observation cut to `budget.maxChars`: the leading lines up to `headChars`, the line naming the
 * file with the full output, the lines that print the last value of a metric, then as many of the
 * last lines as fit. With `thinRepeats`, runs of lines of one shape (progress lines that differ only
 * in their numbers) keep their last line, so the budget covers more of the run. Left-out lines are
 * marked. Short observations come back unchanged.
 */
export function cutObservation(text: string, budget: ObservationBudget): string {
  if (text.length <= budget.maxChars) return text;
  const lines = text.split('\n').map((line, i, all) => fitLine(line, i === 0, i === all.length - 1, budget.maxChars));
  const repeated = budget.thinRepeats ? repeatedShapes(lines) : lines.map(() => false);
  const chosen = new Keeper(lines, repeated, budget.maxChars);
  chosen.keep(0);
  for (let i = 1; i < lines.length && chosen.used + lines[i].length <= budget.headChars; i++) if (!repeated[i]) chosen.keep(i);
  lines.forEach((line, i) => (FULL_OUTPUT_NOTE.test(line) || EXPERIMENT_LINE.test(line)) && chosen.keep(i));
  let metricRoom = budget.maxChars * METRIC_SHARE;
  for (const i of lastMetricLines(lines)) {
    if (lines[i].length > metricRoom) break;
    metricRoom -= lines[i].length;
    chosen.keep(i);
  }
  for (let i = lines.length - 1; i > 0; i--) {
    if (repeated[i]) continue;
    if (!chosen.fits(i)) break;
    chosen.keep(i);
  }
  return chosen.render();
}

/** A line longer than a quarter of the budget (half for the first and the last) keeps its start (first) or its end. */
function fitLine(line: string, first: boolean, last: boolean, maxChars: number): string {
  const max = Math.floor(maxChars / (first || last ? 2 : 4));
  if (line.length <= max) return line;
  return first ? `${line.slice(0, max - 1)}…` : `…${line.slice(line.length - max + 1)}`;
}

/** For each line: whether the next line has the same shape (the same text once numbers are set aside). */
function repeatedShapes(lines: readonly string[]): boolean[] {
  const shapes = lines.map((line) => line.replace(/\d+/g, '#').replace(/\s+/g, ''));
  return shapes.map((shape, i) => shape !== '' && i + 1 < shapes.length && shapes[i + 1] === shape);
}

/** Indices of the lines holding the last value of some metric, latest first. */
function lastMetricLines(lines: readonly string[]): number[] {
  const lastLine = new Map<string, number>();
  lines.forEach((line, i) => {
    for (const metric of parseMetricLine(line)) lastLine.set(metric.name, i);
  });
  return [...new Set(lastLine.values())].sort((a, b) => b - a);
}

/** The lines chosen so far, and what they take of the budget. */
class Keeper {
  private readonly kept = new Set<number>();
  used = 0;

  constructor(
    private readonly lines: readonly string[],
    private readonly repeated: readonly boolean[],
    private readonly room: number,
  ) {}

  /** Whether line `i` still fits (a line already kept always does). */
  fits(i: number): boolean {
    return this.kept.has(i) || this.used + this.cost(i) <= this.room;
  }

  keep(i: number): void {
    if (this.kept.has(i) || !this.fits(i)) return;
    this.used += this.cost(i);
    this.kept.add(i);
  }

  /** The line and its line end, and a marker's room when the line after it is left out so far. */
  private cost(i: number): number {
    const gapAfter = i + 1 < this.lines.length && !this.kept.has(i + 1);
    return this.lines[i].length + 1 + (gapAfter ? MARKER_CHARS : 0);
  }

  /** The kept lines in order; a run of left-out lines becomes one marker, saying so when they were all alike. */
  render(): string {
    const out: string[] = [];
    let gap: number[] = [];
    const closeGap = () => {
      if (gap.length > 0) out.push(this.marker(gap));
      gap = [];
    };
    this.lines.forEach((line, i) => {
      if (!this.kept.has(i)) return void gap.push(i);
      closeGap();
      out.push(line);
    });
    closeGap();
    return out.join('\n');
  }

  private marker(gap: readonly number[]): string {
    const count = `${gap.length} ${gap.length === 1 ? 'line' : 'lines'}`;
    const alike = gap.every((i) => this.repeated[i]) && this.kept.has(gap[gap.length - 1] + 1);
    return alike ? `  [${count} like the next]` : `... [${count} omitted] ...`;
  }
}

const RECORDED_AS = /^Recorded as experiment (#\d+) [^:\n]*: (\w+)/m;
const ERROR_LINE = /\b[A-Z]\w*(?:Error|Exception)\b|\berror\b/;
/** A changed line of a unified diff (not its `--- a/…` and `+++ b/…` header). */
const DIFF_CHANGE = /^[+-](?!\+\+ |-- )/;

/**
 * What a step's observation came to, in one line of at most `maxChars`: the experiment it recorded,
 * else its last error, else its first line and its last telling line (for a diff: the changed lines).
 */
export function observationGist(observation: string, maxChars: number): string {
  const recorded = RECORDED_AS.exec(observation);
  if (recorded) return clip(`${recorded[2]}, experiment ${recorded[1]}`, maxChars);
  const lines = observation
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '');
  if (lines.length === 0) return '(no output)';
  const whole = lines.join(' ');
  if (whole.length <= maxChars) return whole;
  const error = lines
    .slice(1)
    .reverse()
    .find((line) => ERROR_LINE.test(line));
  const isDiff = lines.some((line) => line.startsWith('@@'));
  const changes = isDiff ? lines.filter((line) => DIFF_CHANGE.test(line)).join(' ') : '';
  const last = error ?? (changes || (lines.length > 1 ? lines[lines.length - 1] : ''));
  if (!last) return clip(lines[0], maxChars);
  const head = clipEnd(lines[0], maxChars - Math.min(last.length, Math.floor(maxChars / 2)) - 3);
  return `${head} … ${clipStart(last, maxChars - head.length - 3)}`;
}

/** The start of a text, at most `max` characters (the cut marked where the gist joins it). */
function clipEnd(text: string, max: number): string {
  return text.length <= max ? text : text.slice(0, Math.max(0, max)).trimEnd();
}

/** The end of a text, at most `max` characters. */
function clipStart(text: string, max: number): string {
  return text.length <= max ? text : text.slice(text.length - Math.max(0, max)).trimStart();
}
