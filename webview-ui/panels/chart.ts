import type { AxisView, MetricPoint } from '../../src/shared/viewModels';
import { svg } from '../dom';
import { score } from '../format';

/**
 * An inline SVG line chart of a metric by step on its real scale (the host gives the y-range and
 * its ticks), with a dashed baseline and the running experiment as a hollow, provisional point.
 * Colours come from the stylesheet.
 */

export interface ChartInput {
  points: MetricPoint[];
  baseline: number | null;
  axis: AxisView;
  /** the y-axis title: the metric and its direction */
  label: string;
  width: number;
  height: number;
}

const MARGIN = { left: 46, right: 10, top: 18, bottom: 20 };

interface Scale {
  x(step: number): number;
  y(value: number): number;
}

export function lineChart({ points, baseline, axis, label, width, height }: ChartInput): SVGSVGElement {
  const sorted = [...points].sort((a, b) => a.step - b.step || order(a) - order(b));
  const maxStep = Math.max(1, ...sorted.map((p) => p.step));
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const span = axis.high - axis.low || 1;
  const scale: Scale = {
    x: (step) => MARGIN.left + (step / maxStep) * plotW,
    y: (value) => MARGIN.top + (1 - (value - axis.low) / span) * plotH,
  };
  const chart = svg('svg', {
    class: 'chart',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': describe(sorted, baseline, label),
  });
  chart.append(...axes(scale, axis, label, maxStep, width, height));
  if (baseline !== null)
    chart.append(
      svg('line', {
        class: 'baseline-line',
        x1: MARGIN.left,
        x2: width - MARGIN.right,
        y1: r(scale.y(baseline)),
        y2: r(scale.y(baseline)),
        'stroke-dasharray': '4 3',
      }),
    );
  chart.append(...lines(sorted, scale));
  for (const p of sorted) chart.append(pointMark(p, scale));
  return chart;
}

/** baseline first, then the steps' points, then the final score at the same step, the running one last */
function order(p: MetricPoint): number {
  return { baseline: 0, experiment: 1, observation: 1, final: 2, running: 3 }[p.source];
}

/** A solid line through the measured points; a dashed one on to the running experiment's value. */
function lines(sorted: MetricPoint[], scale: Scale): SVGElement[] {
  const at = (p: MetricPoint) => `${r(scale.x(p.step))},${r(scale.y(p.score))}`;
  const measured = sorted.filter((p) => p.source !== 'running');
  const running = sorted.find((p) => p.source === 'running');
  const drawn: SVGElement[] = [];
  if (measured.length > 1) drawn.push(svg('polyline', { class: 'score-line', points: measured.map(at).join(' ') }));
  const last = measured.at(-1);
  if (running && last)
    drawn.push(svg('polyline', { class: 'score-line provisional', points: `${at(last)} ${at(running)}`, 'stroke-dasharray': '3 3' }));
  return drawn;
}

function pointMark(p: MetricPoint, scale: Scale): SVGElement {
  const by = p.experiment === undefined ? '' : ` · experiment #${p.experiment}`;
  const what = p.source === 'running' ? 'running, provisional' : p.source;
  const title = svg('title', {}, `step ${p.step}${by}: ${score(p.score)} (${what})`);
  return svg(
    'circle',
    {
      class: `point point-${p.source}`,
      cx: r(scale.x(p.step)),
      cy: r(scale.y(p.score)),
      r: p.source === 'baseline' || p.source === 'final' ? 4 : 3,
    },
    title,
  );
}

/** Axes with the host's ticks at their real values, the metric's name and direction above. */
function axes(scale: Scale, axis: AxisView, label: string, maxStep: number, width: number, height: number): SVGElement[] {
  const bottom = height - MARGIN.bottom;
  return [
    svg('text', { class: 'axis-label', x: 2, y: 11, 'text-anchor': 'start' }, label),
    svg('line', { class: 'axis', x1: MARGIN.left, x2: width - MARGIN.right, y1: bottom, y2: bottom }),
    svg('line', { class: 'axis', x1: MARGIN.left, x2: MARGIN.left, y1: MARGIN.top, y2: bottom }),
    ...axis.ticks.map((t) =>
      svg('line', { class: 'grid', x1: MARGIN.left - 3, x2: width - MARGIN.right, y1: r(scale.y(t.value)), y2: r(scale.y(t.value)) }),
    ),
    ...axis.ticks.map((t) => svg('text', { class: 'tick', x: MARGIN.left - 5, y: r(scale.y(t.value)) + 3, 'text-anchor': 'end' }, t.label)),
    svg('text', { class: 'tick', x: MARGIN.left, y: height - 5, 'text-anchor': 'start' }, 'step 0'),
    svg('text', { class: 'tick', x: width - MARGIN.right, y: height - 5, 'text-anchor': 'end' }, String(maxStep)),
  ];
}

function describe(points: MetricPoint[], baseline: number | null, label: string): string {
  const list = points.map((p) => `step ${p.step} ${score(p.score)}${p.source === 'running' ? ' (running)' : ''}`).join(', ');
  return `${label} by step: ${list || 'none'}${baseline === null ? '' : `; baseline ${score(baseline)}`}`;
}

function r(value: number): number {
  return Math.round(value * 10) / 10;
}
