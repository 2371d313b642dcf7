import type { MetricsView } from '../../src/shared/viewModels';
import { h, type Child } from '../dom';
import { score } from '../format';
import { lineChart } from './chart';

const CHART_HEIGHT = 140;

/** The task metric by step: baseline, scores the training script printed, the final score. */
export function renderMetrics(metrics: MetricsView, width: number): Child[] {
  if (metrics.points.length === 0) {
    const waiting = metrics.metric ? `No ${metrics.metric} measured yet.` : 'No score yet: the baseline is measured when a task has a scoring script.';
    return [h('p', { class: 'muted' }, waiting)];
  }
  const chart = lineChart({ points: metrics.points, baseline: metrics.baseline, width: Math.max(200, Math.floor(width)), height: CHART_HEIGHT });
  return [h('div', { class: 'chart-box' }, chart), legend(metrics)];
}

function legend(metrics: MetricsView): HTMLElement {
  const direction = metrics.higherIsBetter === null ? '' : metrics.higherIsBetter ? 'higher is better' : 'lower is better';
  return h(
    'div',
    { class: 'legend' },
    h('span', {}, h('span', { class: 'swatch score' }), metrics.metric ?? 'score'),
    metrics.baseline !== null && h('span', {}, h('span', { class: 'swatch baseline' }), `baseline ${score(metrics.baseline)}`),
    direction && h('span', { class: 'muted' }, direction),
  );
}

/** "40.75 (11.9 % better)": the latest score against the baseline, in the metric's direction. */
export function metricsSummary(metrics: MetricsView): string {
  const latest = [...metrics.points].sort((a, b) => a.step - b.step).pop();
  if (!latest) return '';
  if (metrics.baseline === null || metrics.baseline === 0 || latest.source === 'baseline') return score(latest.score);
  const change = (latest.score - metrics.baseline) / Math.abs(metrics.baseline);
  const better = metrics.higherIsBetter === false ? -change : change;
  return `${score(latest.score)} (${Math.abs(better * 100).toFixed(1)} % ${better >= 0 ? 'better' : 'worse'})`;
}
