// What the fake OpenAI server answers in the user journey: the recorded diabetes run
// (media/replay/diabetes-tree.json: six planner replies, the Understand File and Edit Script
// worker replies), served over real HTTP to fake models that have prices, so the spend is real.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './vscodeServer.mjs';

export const RECORDING = path.join(ROOT, 'media', 'replay', 'diabetes-tree.json');
export const MODELS = { planner: 'openai:fake-planner', worker: 'openai:fake-worker', expert: 'openai:fake-expert' };
/** USD per million tokens (gpt-4.1-mini's and gpt-4.1's list prices). */
export const PRICES = {
  [MODELS.planner]: { input: 0.4, cachedInput: 0.1, output: 1.6 },
  [MODELS.worker]: { input: 0.4, cachedInput: 0.1, output: 1.6 },
  [MODELS.expert]: { input: 2, cachedInput: 0.5, output: 8 },
};

/** The recording's replies, each bound to the model of its role. */
export function scriptedReplies() {
  const { replies } = JSON.parse(fs.readFileSync(RECORDING, 'utf8'));
  return replies.map((reply) => ({ ...reply, model: (/planner/.test(reply.match) ? MODELS.planner : MODELS.worker).split(':')[1] }));
}

/** The `budgetml.*` user settings that point the extension at the fake server. */
export function fakeModelSettings(baseUrl, python) {
  return {
    'budgetml.providers.openai.baseUrl': baseUrl,
    'budgetml.models.planner': [MODELS.planner],
    'budgetml.models.worker': [MODELS.worker],
    'budgetml.models.expert': MODELS.expert,
    'budgetml.prices': PRICES,
    'budgetml.python': python,
    'budgetml.maxSteps': 10,
    'budgetml.autoRunScripts': false,
    'budgetml.autoApproveEdits': false,
  };
}

const PLANNER_PROMPT = /You are a planner solving/;

/**
 * The recorded replies with the planner's reply for `step` served twice: first after `delayMs`
 * (long enough for the window to be reloaded while the request waits), then again on time, for
 * the same step asked again once the run is resumed.
 */
export function repliesWithSlowPlannerStep(step, delayMs) {
  const replies = scriptedReplies();
  const planner = replies.flatMap((reply, index) => (PLANNER_PROMPT.test(reply.match) ? [index] : []));
  const index = planner[step - 1];
  if (index === undefined) throw new Error(`the recording has no planner reply for step ${step}`);
  replies.splice(index, 0, { ...replies[index], delayMs });
  return replies;
}

/** What a request to the fake server asked for: the planner (and for which step) or a worker. */
export function requestKind(request) {
  const messages = request.body?.messages ?? [];
  const text = (content) => (typeof content === 'string' ? content : (content ?? []).map((part) => part.text ?? '').join(''));
  if (!messages.some((m) => PLANNER_PROMPT.test(text(m.content))))
    return { role: 'worker', prompt: messages.map((m) => text(m.content)).join('\n') };
  // the planner's prompt shows its recent steps as "Step N:" headings: the one asked for is the next
  const shown = [
    ...messages
      .map((m) => text(m.content))
      .join('\n')
      .matchAll(/^Step (\d+):$/gm),
  ].map((m) => Number(m[1]));
  return { role: 'planner', step: shown.length ? Math.max(...shown) + 1 : 1 };
}
