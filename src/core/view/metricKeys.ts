/**
 * Metric names as scripts print them ("test accuracy", "val_loss", "testMAE"): which one is the
 * task's metric, which is the most relevant to plot, and which direction is better.
 */

/** Words that say which split a metric was measured on, not what it measures. */
const SPLITS = new Set(['test', 'val', 'valid', 'validation', 'eval', 'dev', 'holdout', 'final']);
const VALIDATION = new Set(['val', 'valid', 'validation', 'eval', 'dev', 'holdout']);
/** Result metrics, in order of preference. */
const RESULT_WORDS = ['accuracy', 'acc', 'f1', 'auc', 'score', 'mae', 'rmse', 'mse', 'loss'];
/** Counters and settings a script prints that are not results. */
const NOT_RESULTS = new Set([
  ...['epoch', 'epochs', 'step', 'steps', 'iter', 'iteration', 'batch', 'seed', 'size', 'samples'],
  ...['lr', 'learning', 'momentum', 'decay', 'grad', 'norm'],
  ...['time', 'runtime', 'second', 'seconds', 'elapsed', 'duration'],
]);
const LOWER_BETTER = new Set(['loss', 'mae', 'mse', 'rmse', 'error', 'err', 'perplexity', 'ppl', 'mape', 'nll', 'wer', 'cer']);
const HIGHER_BETTER = new Set(['accuracy', 'acc', 'f1', 'auc', 'score', 'r2', 'precision', 'recall', 'map', 'bleu', 'iou', 'dice']);

/** "test_MAE" → ["test", "mae"]; "valAcc" → ["val", "acc"]. */
function metricWords(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/**
 * The key that holds `metric`: the same name (any case), else the name after split words only
 * ("test MAE" and "val_mae" hold "mae"; "balanced_accuracy" does not hold "accuracy"). The test split first.
 */
export function keyFor(keys: readonly string[], metric: string): string | undefined {
  const exact = keys.find((k) => k === metric) ?? keys.find((k) => k.toLowerCase() === metric.toLowerCase());
  if (exact !== undefined) return exact;
  const target = metricWords(metric);
  if (target.length === 0) return undefined;
  const qualified = keys.filter((key) => {
    const words = metricWords(key);
    const head = words.slice(0, words.length - target.length);
    return head.length > 0 && words.slice(head.length).join(' ') === target.join(' ') && head.every((w) => SPLITS.has(w));
  });
  return qualified.sort(byRelevance)[0];
}

/** Whether a key is worth plotting at all (not an epoch counter or a learning rate). */
export function isResultKey(key: string): boolean {
  const words = metricWords(key);
  return words.length > 0 && !words.some((w) => NOT_RESULTS.has(w));
}

/**
 * Lower is more relevant: keys naming a result metric first, among them the test split, then
 * validation, then the rest; then the metric's place in the preference list.
 */
function relevance(key: string): number {
  const words = metricWords(key);
  const split = words.includes('test') ? 0 : words.some((w) => VALIDATION.has(w)) ? 1 : 2;
  const named = RESULT_WORDS.findIndex((r) => words.includes(r));
  return named < 0 ? 100 + split : split * RESULT_WORDS.length + named;
}

export function byRelevance(a: string, b: string): number {
  return relevance(a) - relevance(b) || a.localeCompare(b);
}

/** The direction a metric's name implies: errors and losses lower, accuracies and scores higher; null when it says neither. */
export function directionOf(key: string): boolean | null {
  const words = metricWords(key);
  if (words.some((w) => LOWER_BETTER.has(w))) return false;
  if (words.some((w) => HIGHER_BETTER.has(w))) return true;
  return null;
}
