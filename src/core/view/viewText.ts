/** Text helpers of the sidebar's view models: one-line summaries, metric reading. (Plan highlights: shared/planText.ts.) */

const INPUT_SUMMARY_CHARS = 160;
import { clip } from '../../shared/text';
const OBSERVATION_SUMMARY_CHARS = 280;

/** An action input in one short line: `key: value, key: value`. */
export function summarizeInput(input: Record<string, unknown>): string {
  const text = Object.entries(input)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ')
    .replace(/\s+/g, ' ');
  return clip(text, INPUT_SUMMARY_CHARS);
}

/** The first line of a script's observation, whether it ran fine or failed. */
const SCRIPT_RAN = /^The script has been executed(?:, but .*)?\. Here is the output:$/;
/** The line the run adds under a script's output; the chart and the timeline show the experiment already. */
const EXPERIMENT_LINE = /^Recorded as experiment #\d+/;
const DIFF_INTRO = / Here is the diff, please check if the edit is correct and desirable:$/;

/**
 * An observation in at most four short lines: a script's last lines (where results print), an
 * edit's sentence and the size of its diff, else the first line and the last two.
 */
export function summarizeObservation(observation: string, action = ''): string {
  const lines = observation
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '');
  return clip(summaryLines(lines, action).join('\n'), OBSERVATION_SUMMARY_CHARS);
}

function summaryLines(lines: string[], action: string): string[] {
  if (action === 'Execute Script' && SCRIPT_RAN.test(lines[0] ?? '')) {
    const output = lines.slice(1).filter((l) => !EXPERIMENT_LINE.test(l));
    return output.length <= 3 ? output : ['…', ...output.slice(-3)];
  }
  if (lines.length > 0 && DIFF_INTRO.test(lines[0])) {
    const added = lines.filter((l) => l.startsWith('+') && !l.startsWith('+++')).length;
    const removed = lines.filter((l) => l.startsWith('-') && !l.startsWith('---')).length;
    return [lines[0].replace(DIFF_INTRO, ''), `+${added} −${removed} lines`];
  }
  return lines.length <= 3 ? lines : [lines[0], '…', ...lines.slice(-2)];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The last `<metric>: <number>` (or `=`) an output prints, case-insensitive: `test MAE: 46.265`
 * for the metric "mae". Null when the output never prints it.
 */
export function metricFromOutput(output: string, metric: string): number | null {
  const name = escapeRegExp(metric.trim());
  if (!name) return null;
  const pattern = new RegExp(`(?<![A-Za-z0-9_])${name}\\s*[:=]\\s*(-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)`, 'gi');
  let found: number | null = null;
  for (const match of output.matchAll(pattern)) {
    const value = Number(match[1]);
    if (Number.isFinite(value)) found = value;
  }
  return found;
}

const ERROR_LINE = /^(?:[A-Za-z_][\w.]*(?:Error|Exception)|KeyboardInterrupt)\b(?::.*)?$/;

/** The last line that names an error (`ValueError: …`, `torch.cuda.OutOfMemoryError: …`), trimmed; null when none does. */
export function errorLine(output: string): string | null {
  const lines = output.split('\n').map((l) => l.trim());
  for (let i = lines.length - 1; i >= 0; i--) if (ERROR_LINE.test(lines[i])) return clip(lines[i], OBSERVATION_SUMMARY_CHARS);
  return null;
}
