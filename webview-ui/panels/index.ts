import { costSummary, renderCost, spendLevel } from './cost';
import { renderControls, renderHeader } from './controls';
import { factLevel, factSummary, renderFactCheck } from './factCheck';
import { metricsSummary, renderMetrics } from './metrics';
import { planSummary, renderPlan } from './plan';
import type { Panel } from './shell';
import { renderTimeline, timelineSummary } from './timeline';
import { renderVerdict } from './verdict';

/** The sidebar's panels, top to bottom. */
export const panels: Panel[] = [
  {
    id: 'run',
    title: 'Run',
    uses: ['run', 'replay', 'decision', 'setup', 'cost', 'verdict', 'unverifiedClaims'],
    body: (v) => [...renderVerdict(v), ...renderHeader(v), ...renderControls(v)],
  },
  { id: 'plan', title: 'Plan', uses: ['plan'], body: (v, ui) => renderPlan(v.plan, ui), summary: (v) => planSummary(v.plan) },
  {
    id: 'facts',
    title: 'Fact check',
    uses: ['factCheck'],
    body: (v) => renderFactCheck(v.factCheck),
    summary: (v) => factSummary(v.factCheck),
    level: (v) => factLevel(v.factCheck),
  },
  {
    id: 'cost',
    title: 'Cost',
    uses: ['cost'],
    body: (v) => renderCost(v.cost),
    summary: (v) => costSummary(v.cost),
    level: (v) => spendLevel(v.cost),
  },
  {
    id: 'metrics',
    title: 'Metrics',
    uses: ['metrics'],
    body: (v, _ui, width) => renderMetrics(v.metrics, width),
    summary: (v) => metricsSummary(v.metrics),
  },
  {
    id: 'timeline',
    title: 'Timeline',
    uses: ['timeline'],
    body: (v) => renderTimeline(v.timeline),
    summary: (v) => timelineSummary(v.timeline),
  },
];
