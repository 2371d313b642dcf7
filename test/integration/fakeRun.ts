import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FakeServer } from '../fixtures/fakeLlmScript';
import { plannerReply, PLANNER_MATCH, type PlannerStep } from '../fixtures/plannerReplies';
import { inWorkspace, setSetting } from './helpers';

/** Runs against the fake OpenAI server: its models, prices and the run folders they leave. */

/** USD per million tokens for the fake models. */
export const PRICES = {
  'openai:cheap': { input: 0.1, cachedInput: 0.025, output: 0.4 },
  'openai:expert': { input: 2, cachedInput: 0.5, output: 8 },
};

export type LogRecord = Record<string, unknown> & { type: string };

export function readLog(runDir: string): LogRecord[] {
  return fs
    .readFileSync(path.join(runDir, 'log.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as LogRecord);
}

export function runDirs(): string[] {
  const root = inWorkspace('.budgetml', 'runs');
  return fs.existsSync(root) ? fs.readdirSync(root).map((name) => path.join(root, name)) : [];
}

export function planner(steps: PlannerStep[], first = 1) {
  return steps.map((step, i) => ({ match: PLANNER_MATCH, text: plannerReply(step, first + i) }));
}

/** Points the extension at a fake OpenAI server with cheap models, scripts running without a prompt. */
export async function useFakeModels(server: FakeServer): Promise<void> {
  await setSetting('providers.openai.baseUrl', server.url);
  await setSetting('models.planner', ['openai:cheap']);
  await setSetting('models.worker', ['openai:cheap']);
  await setSetting('models.expert', 'openai:expert');
  await setSetting('prices', PRICES);
  await setSetting('maxSteps', 10);
  await setSetting('autoRunScripts', true);
}

export async function resetSettings(): Promise<void> {
  for (const key of [
    'providers.openai.baseUrl',
    'models.planner',
    'models.worker',
    'models.expert',
    'prices',
    'maxSteps',
    'autoRunScripts',
    'autoApproveEdits',
  ]) {
    await setSetting(key, undefined);
  }
}
