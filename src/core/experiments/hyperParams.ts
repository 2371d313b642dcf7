import { assignedLiteral, sharedPythonScript, type PyCall, type PyStatement, type SharedScript } from './pythonTokens';
import type { Literal } from './types';

/**
 * Hyper-parameters of a Python script: the literals a person would tune. Plain assignments
 * (`lr = 1e-3`, `epochs: int = 10`), argparse defaults (`--batch-size` → `batch_size`) and literal
 * keyword arguments of calls and of `def`s, named after the callee's last name (`SGD.lr`, `train.epochs`).
 */

export type HyperParamEntry = [name: string, value: Literal];

/** Calls whose keyword arguments are about printing and files, not about learning. */
const NOT_HYPER_PARAMETER_CALLS = new Set(['print', 'open', 'format', 'write', 'info', 'debug', 'warning', 'error', 'log']);

/** The option's name of `add_argument("-b", "--batch-size", dest=...)`: `batch_size` (dest wins). */
function optionName(call: PyCall): string | undefined {
  const dest = call.args.find((a) => a.name === 'dest')?.value;
  if (typeof dest === 'string') return dest;
  const flags = call.args.filter((a) => a.name === undefined && typeof a.value === 'string').map((a) => String(a.value));
  const flag = flags.find((f) => f.startsWith('--')) ?? flags[0];
  const name = flag?.replace(/^-+/, '').replace(/-/g, '_');
  return name || undefined;
}

/** `parser.add_argument("--lr", default=0.01)` or click's `@click.option("--lr", default=0.01)`. */
function isOptionDeclaration(call: PyCall): boolean {
  if (call.name === 'add_argument') return true;
  return call.name === 'option' && call.args.some((a) => a.name === undefined && typeof a.value === 'string' && a.value.startsWith('-'));
}

/** Adds the hyper-parameters of a call (or `def`) to `found`. */
function addCallHyperParams(call: PyCall, found: HyperParamEntry[]): void {
  if (isOptionDeclaration(call)) {
    const name = optionName(call);
    const value = call.args.find((a) => a.name === 'default')?.value;
    if (name && value !== undefined) found.push([name, value]);
    return;
  }
  if (NOT_HYPER_PARAMETER_CALLS.has(call.name)) return;
  for (const { name, value } of call.args) if (name && value !== undefined) found.push([`${call.name}.${name}`, value]);
}

/** The hyper-parameters one statement (whose calls are `calls`) sets, in order, with repeated names left as they are. */
function statementHyperParams(statement: PyStatement, calls: readonly PyCall[]): HyperParamEntry[] {
  const found: HyperParamEntry[] = [];
  const assigned = assignedLiteral(statement);
  if (assigned) found.push(assigned);
  for (const call of calls) addCallHyperParams(call, found);
  return found;
}

const sharedEntries = new WeakMap<SharedScript, ReadonlyArray<readonly HyperParamEntry[]>>();

/** The hyper-parameters of each statement of a script (entries[i] are those of statements[i]), read once per script. */
export function hyperParamsByStatement(script: SharedScript): ReadonlyArray<readonly HyperParamEntry[]> {
  let entries = sharedEntries.get(script);
  if (!entries) {
    entries = script.statements.map((statement, i) => statementHyperParams(statement, script.calls[i]));
    sharedEntries.set(script, entries);
  }
  return entries;
}

/** Entries as a record; the second `SGD.lr` becomes `SGD.lr#2`, the third `SGD.lr#3`. */
export function keyedWithRepeats(entries: readonly HyperParamEntry[]): Record<string, Literal> {
  const record: Record<string, Literal> = {};
  const seen = new Map<string, number>();
  for (const [name, value] of entries) {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    record[count === 1 ? name : `${name}#${count}`] = value;
  }
  return record;
}

export function extractHyperParams(code: string): Record<string, Literal> {
  return keyedWithRepeats(hyperParamsByStatement(sharedPythonScript(code)).flat());
}

/** The keys whose literal changed, appeared (null before) or disappeared (null after). */
export function diffHyperParams(
  before: Record<string, Literal>,
  after: Record<string, Literal>,
): Record<string, [Literal | null, Literal | null]> {
  const changed: Record<string, [Literal | null, Literal | null]> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const old = Object.hasOwn(before, key) ? before[key] : null;
    const now = Object.hasOwn(after, key) ? after[key] : null;
    if (old !== now) changed[key] = [old, now];
  }
  return changed;
}
