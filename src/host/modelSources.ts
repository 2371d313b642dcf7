import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { AgentCore } from './agentCoreLoader';
import type { Config } from '../core/config';
import type { Recording } from '../core/llm/replay';

/**
 * Where a run's model answers come from when no provider has a key: a local OpenAI-compatible
 * server (Ollama), or the recorded demo run shipped with the extension.
 */

/** Ollama's OpenAI-compatible endpoint on this machine. */
export const OLLAMA_BASE_URL = 'http://127.0.0.1:11434/v1';
const PROBE_TIMEOUT_MS = 500;

/** The models a local OpenAI-compatible server lists (GET {baseUrl}/models); undefined when none answers in time. */
export async function probeLocalModels(baseUrl: string, timeoutMs = PROBE_TIMEOUT_MS): Promise<string[] | undefined> {
  try {
    const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/models`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) return undefined;
    const body = (await response.json()) as { data?: { id?: unknown }[] };
    const ids = (body.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === 'string' && id.length > 0);
    return ids.length ? ids : undefined;
  } catch {
    return undefined;
  }
}

/** This run only: every role uses `model` on the local server, priced at zero. */
export function withLocalModel(config: Config, model: string, baseUrl: string): Config {
  const id = `openai:${model}`;
  return {
    ...config,
    models: { planner: [id], worker: [id], expert: id },
    providers: { ...config.providers, openai: { ...config.providers.openai, baseUrl } },
    prices: { ...config.prices, [id]: { input: 0, cachedInput: 0, output: 0 } },
  };
}

/** The models the demo was recorded with, so the replayed tokens are priced as the real run's were. */
const REPLAY_MODELS: Config['models'] = {
  planner: ['openai:gpt-4.1-mini'],
  worker: ['openai:gpt-4.1-mini'],
  expert: 'openai:gpt-4.1',
};

export function withReplayModels(config: Config): Config {
  return { ...config, models: REPLAY_MODELS };
}

/** The recorded demo: a run on the diabetes sample (train.py with a DecisionTreeRegressor baseline). */
const RECORDING_PATH = ['media', 'replay', 'diabetes-tree.json'];
export const SAMPLE_PATH = ['media', 'samples', 'diabetes'];

/** The goal the demo was recorded with, for a sample without budgetml.task.json. */
export const DEMO_GOAL =
  'Improve train.py, which predicts diabetes disease progression: lower the mean absolute error on the test split by more than 10%. ' +
  'Keep the split. train.py must write submission.csv with one prediction per test row.';

/** Reads and checks the recording shipped with the extension. */
export async function loadRecording(core: AgentCore, extensionUri: vscode.Uri): Promise<Recording> {
  const file = join(extensionUri.fsPath, ...RECORDING_PATH);
  const parsed = core.recordingSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(vscode.l10n.t('{0} is not a recording: {1}', file, parsed.error.issues.map((i) => i.message).join('; ')));
  }
  return parsed.data;
}

/** The recording only makes sense on the files it was made with: train.py fitting a DecisionTreeRegressor. */
export async function fitsRecording(workspace: string): Promise<boolean> {
  const train = await readFile(join(workspace, 'train.py'), 'utf8').catch(() => '');
  return /\bDecisionTreeRegressor\b/.test(train);
}
