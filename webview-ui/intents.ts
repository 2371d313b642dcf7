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
    default:
      return undefined;
  }
}
