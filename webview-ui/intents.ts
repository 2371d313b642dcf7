import type { SidebarIntent } from '../src/shared/protocol';
import { SIDEBAR_COMMANDS, type SidebarCommand } from '../src/shared/viewModels';

const isCommand = (command: string | undefined): command is SidebarCommand => SIDEBAR_COMMANDS.some((c) => c === command);

/**
 * The intent a clicked element stands for, from its data attributes. (The decision buttons and the
 * steering box read their text fields: decision.ts and steering.ts.)
 */
export function intentOf(data: DOMStringMap): SidebarIntent | undefined {
  switch (data.intent) {
    case 'start':
    case 'stop':
    case 'askExpert':
    case 'showHistory':
    case 'pause':
    case 'continue':
      return { type: data.intent };
    case 'openDiff':
      return data.id ? { type: 'openDiff', id: data.id } : undefined;
    case 'command':
      return isCommand(data.command) ? { type: 'command', command: data.command } : undefined;
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
