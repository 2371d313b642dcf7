import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Task } from '../src/core/task/task';
import type { FakeServer } from '../test/fixtures/fakeLlmScript';
import { runScripted, startFakeOpenAI, type ScriptedRun } from '../test/fixtures/runHarness';
import { cascadeReplies, expertReplies, realisticTrajectory, REALISTIC_WORKSPACE } from './realistic';

/**
 * What the realistic trajectory costs with the expert alone and with the cheap-first cascade, priced by the
 * fake server's own token ledger, and where the prompt tokens go (the targets of the cost edge).
 */

/** Prices in the proportion of a frontier model to a small one (USD per million tokens). */
const PRICES = {
  'openai:cheap': { input: 0.15, cachedInput: 0.075, output: 0.6 },
  'openai:expert': { input: 2.5, cachedInput: 1.25, output: 10 },
};

const MAX_FORMAT_RETRIES = 3;

function task(): Task {
  const workspace = join(mkdtempSync(join(tmpdir(), 'budgetml-bench-digits-')), 'digits');
  cpSync(REALISTIC_WORKSPACE, workspace, { recursive: true });
  return { goal: 'Raise the test_accuracy that train.py prints by 10 %.', workspace, readOnlyGlobs: [], script: 'train.py' };
}

interface Measured {
  run: ScriptedRun;
  server: FakeServer;
  usd: number;
}

async function measure(label: string, models: Record<string, unknown>, replies: ReturnType<typeof expertReplies>): Promise<Measured> {
  const server = await startFakeOpenAI({ replies });
  const run = await runScripted({
    openai: server,
    task: task(),
    config: {
      models,
      prices: PRICES,
      maxSteps: 30,
      budgetUsd: 20,
      lifelines: 3,
      cascade: { maxFormatRetries: MAX_FORMAT_RETRIES, repeatLimit: 3 },
    },
  });
  await server.close();
  const usd = ledgerUsd(server);
  if (run.summary.status !== 'final_answer' || run.summary.steps !== 30)
    console.log(`  ${label}: ${run.summary.status} after ${run.summary.steps} steps (${run.summary.message ?? ''})`);
  return { run, server, usd };
}

/** The server's bill split by model and by prompt (uncached, cached) and output. */
function breakdown(server: FakeServer): string {
  const parts = new Map<string, { uncached: number; cached: number; output: number }>();
  for (const request of server.requests) {
    const model = (request.body as { model: string }).model;
    const price = PRICES[`openai:${model}` as keyof typeof PRICES];
    const usage = request.usage;
    if (!usage || !price) continue;
    const part = parts.get(model) ?? { uncached: 0, cached: 0, output: 0 };
    part.uncached += ((usage.input - usage.cachedInput) * price.input) / 1e6;
    part.cached += (usage.cachedInput * price.cachedInput) / 1e6;
    part.output += (usage.output * price.output) / 1e6;
    parts.set(model, part);
  }
  return [...parts]
    .map(([model, p]) => `${model}: prompt $${p.uncached.toFixed(4)} + cached $${p.cached.toFixed(4)} + output $${p.output.toFixed(4)}`)
    .join('; ');
}

/** The fake server's own bill: its token totals per model at PRICES (only the answers' with `part` 'output'). */
function ledgerUsd(server: FakeServer, part: 'all' | 'output' = 'all'): number {
  let usd = 0;
  for (const request of server.requests) {
    const usage = request.usage;
    const model = (request.body as { model: string }).model;
    const price = PRICES[`openai:${model}` as keyof typeof PRICES];
    if (!usage || !price) continue;
    const prompt = (usage.input - usage.cachedInput) * price.input + usage.cachedInput * price.cachedInput;
    usd += ((part === 'all' ? prompt : 0) + usage.output * price.output) / 1e6;
  }
  return usd;
}

/** The first planning call of a step: the cheapest planner model's. */
function plannerPromptTokens(run: ScriptedRun, step: number): number {
  return run.log.find((r) => r.type === 'call' && r.purpose === 'plan' && r.step === step)?.usage.input ?? NaN;
}

/** Cached share of the prompt tokens of one model's planning calls. */
function cachedShare(run: ScriptedRun, model: string): number {
  const calls = run.log.filter((r) => r.type === 'call' && r.purpose === 'plan' && r.model === model);
  const input = calls.reduce((s, c) => s + c.usage.input, 0);
  const cached = calls.reduce((s, c) => s + (c.usage.cachedInput ?? 0), 0);
  return cached / input;
}

export async function realisticCost(): Promise<void> {
  const steps = realisticTrajectory();
  console.log(`\n## Cost edge (realistic 30-step trajectory: logs of 70-6,600 characters, 3 edits, 2 format escalations, 1 lifeline)`);
  const expert = await measure(
    'expert only',
    { planner: ['openai:expert'], worker: ['openai:expert'], expert: 'openai:expert' },
    expertReplies(steps),
  );
  const cascade = await measure(
    'cascade',
    { planner: ['openai:cheap', 'openai:expert'], worker: ['openai:cheap'], expert: 'openai:expert' },
    cascadeReplies(steps, MAX_FORMAT_RETRIES),
  );
  for (const [label, m, planner] of [
    ['expert only', expert, 'openai:expert'],
    ['cascade', cascade, 'openai:cheap'],
  ] as const) {
    const [t5, t15, t30] = [5, 15, 30].map((s) => plannerPromptTokens(m.run, s));
    console.log(
      `${label.padEnd(11)}: $${m.usd.toFixed(4)} per run (ledger $${m.run.summary.cost.usd.toFixed(4)}), ${m.run.summary.steps} steps; ` +
        `planner prompt tokens at steps 5 / 15 / 30: ${t5} / ${t15} / ${t30} (step 30 / step 5 = ${(t30 / t5).toFixed(2)}, target <= 1.3); ` +
        `cached share of planner prompt tokens ${(100 * cachedShare(m.run, planner)).toFixed(1)} % (target >= 85 %)`,
    );
  }
  const expertCalls = cascade.run.log.filter((r) => r.type === 'call' && r.model === 'openai:expert');
  const shares = expertCalls.map((c) => {
    const planner = cascade.run.log.find(
      (r) => r.type === 'call' && r.model === 'openai:cheap' && r.purpose === 'plan' && r.step === c.step,
    );
    return { step: c.step, tokens: c.usage.input, share: planner ? c.usage.input / planner.usage.input : NaN };
  });
  console.log(
    `expert prompt tokens per escalation or lifeline: ${shares.map((s) => `step ${s.step}: ${s.tokens} (${(100 * s.share).toFixed(0)} % of the planner's)`).join(', ')} (target <= 50 %)`,
  );
  const expertUsd = expertCalls.reduce((s, c) => s + c.usd, 0);
  console.log(`the expert's share of the cascade's cost: ${((100 * expertUsd) / cascade.run.summary.cost.usd).toFixed(0)} %`);
  console.log(`where the cascade's money goes: ${breakdown(cascade.server)}`);
  console.log(`cascade / expert-only = ${(cascade.usd / expert.usd).toFixed(3)} (target <= 0.12)`);
  const outputs = (m: Measured) => ledgerUsd(m.server, 'output');
  console.log(
    `cascade / expert-only of the answers alone (the same scripted replies in both runs): ${(outputs(cascade) / outputs(expert)).toFixed(3)}; ` +
      `the leaner the prompts, the closer the whole ratio comes to it`,
  );
}
