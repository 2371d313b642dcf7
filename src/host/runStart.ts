import type * as vscode from 'vscode';
import type { AgentCore } from './agentCoreLoader';
import type { Recording } from '../core/llm/replay';
import type { Task } from '../core/task/task';
import { DEMO_GOAL, fitsRecording, loadRecording, probeLocalModels, withLocalModel, withReplayModels } from './modelSources';
import type { UserPrompts } from './prompts';
import { buildTask, gatherInputs, readConfig, workspaceFolder, type Gathered, type RunInputs, type StartArgs } from './runInputs';
import { explainDemoNeedsSample } from './sampleWorkspace';
import type { KeyStore } from './secrets';

/** What a new run starts with; `replay` is set when its model answers come from the recorded demo. */
export interface StartPlan {
  inputs: RunInputs;
  task: Task;
  replay?: Recording;
}

export interface StartDeps {
  settingKeys: readonly string[];
  keys: KeyStore;
  prompts: UserPrompts;
  extensionUri: vscode.Uri;
  /** the local OpenAI-compatible server asked when no provider has a key */
  localBaseUrl: string;
}

/**
 * The model source of a new run, in this order: the configured providers (a key or a base URL),
 * else a local OpenAI-compatible server if the user takes it, else advice with the recorded demo
 * on offer. `args.replay` goes straight to the demo. Undefined when the run does not start.
 */
export async function prepareStart(core: AgentCore, deps: StartDeps, args: StartArgs = {}): Promise<StartPlan | undefined> {
  if (args.replay) return prepareReplay(core, deps, args);
  const gathered = await gatherInputs(core, deps.settingKeys, deps.keys);
  if (!gathered) return undefined;
  const inputs = gathered.missing.length ? await withoutKeys(gathered, deps) : gathered.inputs;
  const task = inputs && (await buildTask(core, inputs, args));
  return inputs && task ? { inputs, task } : undefined;
}

/** No key for the configured models: the local server's first model when the user takes it. */
async function withoutKeys({ inputs, missing }: Gathered, deps: StartDeps): Promise<RunInputs | undefined> {
  const local = await probeLocalModels(deps.localBaseUrl);
  if (!local) {
    deps.prompts.missingKeys(missing, true);
    return undefined;
  }
  if (!(await deps.prompts.offerLocalModel(missing, local[0], deps.localBaseUrl))) return undefined;
  return { ...inputs, config: withLocalModel(inputs.config, local[0], deps.localBaseUrl) };
}

/** The recorded demo, on a workspace with the files it was recorded on; no key is needed. */
async function prepareReplay(core: AgentCore, deps: StartDeps, args: StartArgs): Promise<StartPlan | undefined> {
  const folder = workspaceFolder();
  if (!folder) return undefined;
  if (!(await fitsRecording(folder.uri.fsPath))) {
    void explainDemoNeedsSample();
    return undefined;
  }
  const config = await readConfig(core, deps.settingKeys, folder);
  if (!config) return undefined;
  const replay = await loadRecording(core, deps.extensionUri);
  const inputs: RunInputs = { config: withReplayModels(config), keys: {}, folder };
  const goal = args.goal ?? core.readTaskFile(folder.uri.fsPath)?.goal ?? DEMO_GOAL;
  const task = await buildTask(core, inputs, { ...args, goal, script: args.script ?? 'train.py' });
  return task && { inputs, task, replay };
}
