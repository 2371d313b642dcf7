import { hyperParamsByStatement, keyedWithRepeats, type HyperParamEntry } from './hyperParams';
import { sharedPythonScript, type PyCall, type PyStatement } from './pythonTokens';
import type { Literal } from './types';

/** Facts about a Python script that an experiment record keeps: its seeds, imports and data files. */

/** Calls whose first argument is a seed: torch, numpy, random, TensorFlow, Hugging Face, Lightning. */
const SEED_CALLS = new Set(['manual_seed', 'manual_seed_all', 'seed', 'set_seed', 'set_random_seed', 'seed_everything']);

/** Names that hold a seed: `SEED`, `random_seed`, `data_seed`, `random_state`. */
const SEED_NAME = /^(?:\w*_)?seed$|^random_state$/i;

function isSeedEntry([name]: HyperParamEntry): boolean {
  return SEED_NAME.test(name.slice(name.lastIndexOf('.') + 1));
}

/** Adds the seeds among a statement's hyper-parameters, then those its calls (`calls`) set, to `seeds`. */
function addStatementSeeds(hyperParams: readonly HyperParamEntry[], calls: readonly PyCall[], seeds: HyperParamEntry[]): void {
  for (const entry of hyperParams) if (isSeedEntry(entry)) seeds.push(entry);
  for (const call of calls) {
    const first = call.args[0];
    if (call.isDefinition || !SEED_CALLS.has(call.name) || !first || first.name !== undefined || typeof first.value !== 'number') continue;
    seeds.push([call.callee, first.value]);
  }
}

/**
 * Literal seeds: `torch.manual_seed(42)` → `torch.manual_seed: 42`, `random_state=0` in a call →
 * `train_test_split.random_state: 0`, `SEED = 42` → `SEED: 42`, argparse `--seed` → `seed`.
 */
export function findSeeds(code: string): Record<string, Literal> {
  const seeds: HyperParamEntry[] = [];
  const script = sharedPythonScript(code);
  hyperParamsByStatement(script).forEach((hyperParams, i) => addStatementSeeds(hyperParams, script.calls[i], seeds));
  return keyedWithRepeats(seeds);
}

function importStatementModules(statement: PyStatement): string[] {
  const [keyword, first] = statement.tokens;
  if (statement.indent !== 0 || keyword?.kind !== 'name' || first?.kind !== 'name') return [];
  if (keyword.text === 'from') return first.text === '__future__' ? [] : [first.text];
  if (keyword.text !== 'import') return [];
  const { tokens } = statement;
  return tokens.filter((t, i) => t.kind === 'name' && i > 0 && (i === 1 || tokens[i - 1].text === ',')).map((t) => t.text);
}

/** Top-level module names imported at indentation 0 (`import a.b as x, c` → a, c), sorted, no relative imports. */
export function importedModules(code: string): string[] {
  return [...new Set(sharedPythonScript(code).statements.flatMap(importStatementModules))].sort();
}

const DATA_EXTENSIONS = new Set(
  'csv tsv json jsonl parquet npy npz pt pth pkl pickle h5 hdf5 txt zip gz feather arrow tar tgz bz2 xz xlsx xls ckpt safetensors'.split(
    ' ',
  ),
);
const CODE_EXTENSIONS = new Set(['py', 'pyc', 'ipynb', 'sh', 'md', 'html', 'js', 'ts']);

/** A relative file path of data: no URL, no absolute path, no format string, no glob, no spaces. */
export function looksLikeDataPath(text: string): boolean {
  if (text.length === 0 || text.length > 300 || /[\s{}*?<>|"'%$]/.test(text)) return false;
  if (/^[a-z][\w+.-]*:/i.test(text) || /^[/\\~]/.test(text)) return false;
  const path = text.replace(/\\/g, '/');
  const extension = /\.([a-z][a-z\d]{0,11})$/i.exec(path.slice(path.lastIndexOf('/') + 1))?.[1]?.toLowerCase();
  if (!extension || CODE_EXTENSIONS.has(extension)) return false;
  return DATA_EXTENSIONS.has(extension) || path.includes('/');
}

function normalizedPath(text: string): string {
  return text.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
}

/** `os.path.join("data", "train.csv")` with only string literals → `data/train.csv`. */
function joinedPath(call: PyCall): string | undefined {
  if (!call.callee.endsWith('path.join') || call.args.length < 2) return undefined;
  const parts = call.args.map((a) => (a.name === undefined && typeof a.value === 'string' ? a.value : undefined));
  return parts.every((p) => p !== undefined) ? parts.join('/') : undefined;
}

/** Adds a statement's string literals, then the paths its `os.path.join` calls build, to `strings`. */
function addStatementStrings(statement: PyStatement, calls: readonly PyCall[], strings: string[]): void {
  for (const { kind, value } of statement.tokens) if (kind === 'string' && typeof value === 'string') strings.push(value);
  for (const call of calls) {
    const path = joinedPath(call);
    if (path !== undefined) strings.push(path);
  }
}

/**
 * String literals that look like relative paths of data files (`data/train.csv`, `model.pt`), with
 * backslashes made forward slashes and a leading `./` dropped; sorted, unique. Whether they exist is the
 * caller's question.
 */
export function namedDataFiles(code: string): string[] {
  const strings: string[] = [];
  const { statements, calls } = sharedPythonScript(code);
  statements.forEach((statement, i) => addStatementStrings(statement, calls[i], strings));
  return [...new Set(strings.filter(looksLikeDataPath).map(normalizedPath))].sort();
}
