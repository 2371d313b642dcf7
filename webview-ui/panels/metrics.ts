import type { MetricsView } from '../../src/shared/viewModels';
import { h, type Child } from '../dom';
import { change, direction, score } from '../format';
import { lineChart } from './chart';

const CHART_HEIGHT = 150;
/** the metrics offered to plot instead, most relevant first */
const MAX_CHOICES = 8;

/** The metric by step: baseline, each experiment, the final score, the running experiment's latest value. */
export function renderMetrics(metrics: MetricsView, width: number): Child[] {
  if (metrics.points.length === 0 || !metrics.axis) {
    const waiting = metrics.metric
      ? `No ${metrics.metric} measured yet.`
      : 'No metric yet: the chart shows the task’s score, else what the scripts print (accuracy, loss, …).';
    return [h('p', { class: 'muted' }, waiting), chooser(metrics)];
  }
  const label = [metrics.metric ?? 'score', metrics.higherIsBetter === null ? '' : metrics.higherIsBetter ? '↑' : '↓'].join(' ').trim();
  const chart = lineChart({
    points: metrics.points,
    baseline: metrics.baseline,
    axis: metrics.axis,
    label,
    width: Math.max(200, Math.floor(width)),
    height: CHART_HEIGHT,
  });
  return [h('div', { class: 'chart-box' }, chart), legend(metrics), chooser(metrics)];
}

function legend(metrics: MetricsView): HTMLElement {
  const running = metrics.points.some((p) => p.source === 'running');
  return h(
    'div',
    { class: 'legend' },
    h(
      'span',
      {},
      h('span', { class: 'swatch score' }),
      metrics.metric ?? 'score',
      metrics.isTaskMetric ? h('span', { class: 'muted' }, ' (task)') : null,
    ),
    metrics.baseline !== null && h('span', {}, h('span', { class: 'swatch baseline' }), `baseline ${score(metrics.baseline)}`),
    running && h('span', {}, h('span', { class: 'swatch running' }), 'running'),
    metrics.higherIsBetter !== null && h('span', { class: 'muted' }, direction(metrics.higherIsBetter)),
  );
}

/** Which metric to plot, when the scripts print several. */
function chooser(metrics: MetricsView): HTMLElement | null {
  if (metrics.choices.length < 2) return null;
  const choice = (name: string) =>
    h(
      'button',
      {
        type: 'button',
        class: 'chip metric-choice',
        'data-intent': 'chooseMetric',
        'data-metric': name,
        'aria-pressed': name === metrics.metric ? 'true' : 'false',
        title: `Plot ${name}`,
      },
      name,
    );
  return h(
    'div',
    { class: 'metric-choices', role: 'group', 'aria-label': 'Metric to plot' },
    h('span', { class: 'muted small' }, 'Plot:'),
    ...metrics.choices.slice(0, MAX_CHOICES).map(choice),
  );
}

/** "40.75 (11.9 % better)": the latest measured value against the baseline, in the metric's direction. */
export function metricsSummary(metrics: MetricsView): string {
  const latest = [...metrics.points]
    .filter((p) => p.source !== 'running')
    .sort((a, b) => a.step - b.step)
    .pop();
  if (!latest) return '';
  if (metrics.baseline === null || metrics.baseline === 0 || latest.source === 'baseline') return score(latest.score);
  const ratio = (latest.score - metrics.baseline) / Math.abs(metrics.baseline);
  return `${score(latest.score)} (${change(metrics.higherIsBetter === false ? -ratio : ratio)})`;
}
