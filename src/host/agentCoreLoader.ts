export type AgentCore = typeof import('./agentCore');

/**
 * Loads the agent core on first use. The build turns this require into one of its own file,
 * dist/agentCore.js (see scripts/build.mjs), so activation does not parse zod and the SDKs.
 */
export async function loadAgentCore(): Promise<AgentCore> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./agentCore') as AgentCore;
}
