import type { SidebarIntent } from '../src/shared/protocol';

/** The intent a clicked element stands for, from its data attributes. */
export function intentOf(data: DOMStringMap): SidebarIntent | undefined {
  switch (data.intent) {
    case 'start':
    case 'stop':
    case 'acceptEdit':
    case 'rejectEdit':
    case 'askExpert':
    case 'showHistory':
      return { type: data.intent };
    case 'openArtifact': {
      const step = Number(data.step);
      const kind = data.kind;
      if (!Number.isInteger(step) || (kind !== 'diff' && kind !== 'output' && kind !== 'observation')) return undefined;
      return data.cite ? { type: 'openArtifact', step, kind, cite: data.cite.slice(0, 200) } : { type: 'openArtifact', step, kind };
    }
    case 'openExperiment': {
      const id = Number(data.id);
      if (!Number.isInteger(id) || id < 1) return undefined;
      return data.cite ? { type: 'openExperiment', id, cite: data.cite.slice(0, 200) } : { type: 'openExperiment', id };
    }
    case 'chooseMetric':
      return data.metric ? { type: 'chooseMetric', metric: data.metric.slice(0, 120) } : undefined;
    default:
      return undefined;
  }
}
