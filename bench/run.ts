import { performance } from 'node:perf_hooks';
import type { Reply } from '../test/fixtures/fakeLlmScript';
import { PLANNER_MATCH } from '../test/fixtures/plannerReplies';
import { DIABETES_TASK, runScripted, startFakeOpenAI, unscoredTask } from '../test/fixtures/runHarness';
import { plannerText, repliesFor, trajectory, type PlannedAction } from './trajectory';
import { join } from 'node:path';
import { experimentRecording } from './experiments';
import { activationTime, extensionBundle, sidebarFirstRender } from './vscode';
import { timedHost } from './timedHost';
import { realisticCost } from './realisticCost';
import { computeOverhead } from './compute';

/**
 * Prints the figures the project is held to. Nothing here asserts: it measures.
 *   npm run bench            every part
 *   npm run bench -- core    one part: core, cascade, bundle, activation, sidebar, experiments, realistic, compute
 */

const ENV = join(DIABETES_TASK, 'env');

async function orchestrationAndContext(): Promise<void> {
  const actions = trajectory(ENV, 30);
  const server = await startFakeOpenAI({ replies: repliesFor(actions, 'cheap', 'mid') });
  const { host, scriptMs } = timedHost();
  const marks = new Map<number, { start: number; end: number; scriptAtStart: number; scriptAtEnd: number }>();
  const started = performance.now();
  const run = await runScripted({
    openai: server,
    host,
    config: { models: { planner: ['openai:cheap'], worker: ['openai:mid'], expert: 'openai:expert' }, maxSteps: 30, budgetUsd: 5 },
    onEvent: (e) => {
      if (e.type === 'step-started') marks.set(e.step, { start: performance.now(), end: 0, scriptAtStart: scriptMs(), scriptAtEnd: 0 });
      if (e.type === 'observation') Object.assign(marks.get(e.step)!, { end: performance.now(), scriptAtEnd: scriptMs() });
    },
  });
  const wallMs = performance.now() - started;
  await server.close();
  const calls = run.log.filter((r) => r.type === 'call');
  const modelMs = calls.reduce((sum, c) => sum + c.latencyMs, 0);
  const perStep = [...marks.entries()].map(([step, m]) => {
    const model = calls.filter((c) => c.step === step).reduce((sum, c) => sum + c.latencyMs, 0);
    return { step, action: actions[step - 1].action, ms: m.end - m.start - model - (m.scriptAtEnd - m.scriptAtStart) };
  });
  const plain = perStep.filter((p) => p.step > 1 && !p.action.startsWith('Edit Script'));
  const edits = perStep.filter((p) => p.action.startsWith('Edit Script'));
  console.log(`\n## Orchestration (scripted 30-step run: ${run.summary.status}, ${run.summary.steps} steps, ${calls.length} model calls)`);
  console.log(`wall ${wallMs.toFixed(0)} ms = model ${modelMs.toFixed(0)} ms + scripts ${scriptMs().toFixed(0)} ms + the rest`);
  console.log(
    `orchestration overhead per step (model and script time excluded): median ${median(perStep.map((p) => p.ms)).toFixed(2)} ms, mean of steps 2-30 without edits ${mean(plain.map((p) => p.ms)).toFixed(2)} ms (target <= 5 ms)`,
  );
  console.log(
    `  step 1 (loads the SDK): ${perStep[0].ms.toFixed(1)} ms; edit steps (each runs py_compile on the proposal): mean ${mean(edits.map((p) => p.ms)).toFixed(1)} ms`,
  );

  const plannerTokens = (step: number) => calls.find((c) => c.role === 'planner' && c.step === step)?.usage.input ?? NaN;
  const [t5, t15, t30] = [plannerTokens(5), plannerTokens(15), plannerTokens(30)];
  console.log(`\n## Planner context (prompt tokens per planner call)`);
  console.log(`step 5: ${t5}   step 15: ${t15}   step 30: ${t30}   step 30 / step 5 = ${(t30 / t5).toFixed(2)} (target <= 1.3)`);
  console.log(`prefix share between consecutive planner calls: ${(100 * prefixShare(server.requests)).toFixed(1)} % (target >= 80 %)`);
}

/** Share of planner prompt characters that repeat the previous planner prompt byte for byte. */
function prefixShare(requests: { body: unknown }[]): number {
  const prompts = requests
    .map((r) => (r.body as { messages: { role: string; content: string }[] }).messages)
    .filter((m) => m[0]?.content.startsWith('You are a planner'))
    .map((m) => m.map((x) => `<${x.role}>${x.content}`).join(''));
  let shared = 0;
  let total = 0;
  for (let i = 1; i < prompts.length; i++) {
    shared += commonPrefix(prompts[i - 1], prompts[i]);
    total += prompts[i].length;
  }
  return shared / total;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The cheap planner breaks the format on every `period`-th step; the mid model then answers. */
function cascadeReplies(actions: PlannedAction[], period: number): Reply[] {
  const replies: Reply[] = [];
  actions.forEach((a, i) => {
    const text = plannerText(i + 1, a);
    if ((i + 1) % period === 0) {
      for (let k = 0; k < 3; k++) replies.push({ match: PLANNER_MATCH, model: 'cheap', text: `I think the next step is ${a.action}.` });
      replies.push({ match: PLANNER_MATCH, model: 'mid', text });
    } else replies.push({ match: PLANNER_MATCH, model: 'cheap', text });
  });
  for (const a of actions) if (a.worker) replies.push({ match: a.worker.match, model: 'cheap', text: a.worker.text });
  return replies;
}

async function cascadeVersusExpert(): Promise<void> {
  console.log(`\n## Cascade vs expert only (same scripted outcome; the cheap planner breaks the format on 1 step in 4)`);
  const actions = trajectory(ENV, 24).filter((a) => a.action !== 'Execute Script');
  const cascadeServer = await startFakeOpenAI({ replies: cascadeReplies(actions, 4) });
  const cascade = await runScripted({
    openai: cascadeServer,
    task: unscoredTask(),
    config: {
      models: { planner: ['openai:cheap', 'openai:mid'], worker: ['openai:cheap'], expert: 'openai:expert' },
      maxSteps: 30,
      budgetUsd: 5,
    },
  });
  await cascadeServer.close();
  const expertServer = await startFakeOpenAI({ replies: repliesFor(actions, 'expert', 'expert') });
  const expert = await runScripted({
    openai: expertServer,
    task: unscoredTask(),
    config: { models: { planner: ['openai:expert'], worker: ['openai:expert'], expert: 'openai:expert' }, maxSteps: 30, budgetUsd: 5 },
  });
  await expertServer.close();
  const same =
    cascade.summary.status === expert.summary.status &&
    cascade.summary.steps === expert.summary.steps &&
    cascade.summary.finalAnswer === expert.summary.finalAnswer;
  console.log(
    `cascade: ${cascade.summary.status} in ${cascade.summary.steps} steps, $${cascade.summary.cost.usd.toFixed(5)}, ${cascade.summary.escalations} escalations`,
  );
  console.log(`expert:  ${expert.summary.status} in ${expert.summary.steps} steps, $${expert.summary.cost.usd.toFixed(5)}`);
  console.log(`same outcome: ${same}; cost ratio cascade / expert = ${(cascade.summary.cost.usd / expert.summary.cost.usd).toFixed(3)}`);
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const parts: Record<string, () => Promise<void>> = {
    core: orchestrationAndContext,
    cascade: cascadeVersusExpert,
    bundle: extensionBundle,
    activation: () => activationTime(),
    sidebar: () => sidebarFirstRender(),
    experiments: experimentRecording,
    realistic: realisticCost,
    compute: computeOverhead,
  };
  for (const [name, part] of Object.entries(parts)) if (!only || only === name) await part();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
