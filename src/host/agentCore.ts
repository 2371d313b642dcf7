/**
 * The agent core as the extension uses it. Loaded on the first Start Task / Resume Run, never at
 * activation: the build puts it into its own file (dist/agentCore.js) because it carries zod and
 * the model SDKs. Import it only through agentCoreLoader.ts.
 */
export { ConfigError, parseConfig, type Config } from '../core/config';
export { requireKey } from '../core/llm/providers';
export { recordingSchema, type Recording } from '../core/llm/replay';
export { parseModelRef } from '../core/llm/types';
export { runAgent, type ApiKeys, type RunSummary } from '../core/run';
export { loadWorkspaceTask, readTaskFile, TaskError, TASK_FILE } from '../core/task/loadTask';
/** the sidebar's messages are checked with the protocol's zod schema, which also stays out of activation */
export { parseFromWebview } from '../shared/protocol';
/** Test Connection: one tiny request per configured provider */
export { probeProvider, probeTargets, type ProbeResult } from './connectionProbe';
