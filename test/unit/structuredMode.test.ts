import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { describe, test } from 'node:test';
import { z } from 'zod';
import type { ActionDef } from '../../src/core/actions/action';
import { parsePlannerResponse } from '../../src/core/format/parse';
import { plannerResponseSchema } from '../../src/core/format/structured';
import type { RecordedRequest } from '../fixtures/fakeLlmScript';
import { startFakeGemini } from '../fixtures/fakeGemini';
import { startFakeOpenAI } from '../fixtures/fakeOpenAI';
import { plannerReply, PLANNER_MATCH } from '../fixtures/plannerReplies';
import { runScripted, type Reply } from '../fixtures/runHarness';
import { useFakeServers } from '../fixtures/servers';

/**
 * Structured mode (responseMode "json") and prompt caching, through the real SDKs against the fake
 * servers: the planner asks for its six entries as one JSON object held to a schema, workers stay
 * text, a server that refuses the schema gets text for the rest of the run, and every OpenAI
 * request of a run carries the run id as prompt_cache_key.
 */

const serveOpenAI = useFakeServers(startFakeOpenAI);
const serveGemini = useFakeServers(startFakeGemini);

interface OpenAIBody {
  messages: { role: string; content: string }[];
  response_format?: { type: string; json_schema: { name: string; strict: boolean; schema: Record<string, any> } };
  prompt_cache_key?: string;
}

interface GeminiBody {
  systemInstruction?: { parts: { text: string }[] };
  contents: { role: string; parts: { text: string }[] }[];
  generationConfig: { responseMimeType?: string; responseSchema?: Record<string, any> };
}

const openAIBody = (r: RecordedRequest) => r.body as OpenAIBody;
const geminiBody = (r: RecordedRequest) => r.body as GeminiBody;
const isPlanner = (r: RecordedRequest) => JSON.stringify(r.body).includes(PLANNER_MATCH);

function jsonReply(action: string, input: Record<string, unknown>, thought = `I will use ${action}.`): string {
  return JSON.stringify({
    reflection: 'The last observation shows the files.',
    research_plan_and_status: '1. Understand train.py. 2. Baseline. **In progress.**',
    fact_check: 'Nothing confirmed yet; all guessed.',
    thought,
    action,
    action_input: JSON.stringify(input),
  });
}

const planner = (text: string): Reply => ({ match: PLANNER_MATCH, text });
const UNDERSTAND = { file_name: 'train.py', things_to_look_for: 'the model' };

describe('structured mode: the planner answers one JSON object', () => {
  test('openai: strict json_schema with the menu as the enum of Action; workers stay text; prompt_cache_key is the run id', async () => {
    const openai = await serveOpenAI({
      replies: [
        planner(jsonReply('Understand File', UNDERSTAND)),
        { match: 'the model', text: 'A decision tree regressor.' },
        planner(jsonReply('Final Answer', { final_answer: 'A decision tree; no change.' })),
      ],
    });
    const run = await runScripted({ openai, config: { responseMode: 'json' } });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    const [plan, work] = [openai.requests.filter(isPlanner), openai.requests.filter((r) => !isPlanner(r))];
    assert.equal(plan.length, 2);
    assert.equal(work.length, 1);
    for (const request of plan) {
      const format = openAIBody(request).response_format!;
      assert.equal(format.type, 'json_schema');
      assert.equal(format.json_schema.strict, true);
      const { schema } = format.json_schema;
      assert.equal(schema.additionalProperties, false);
      assert.deepEqual(schema.required, Object.keys(schema.properties));
      assert.ok(schema.properties.action.enum.includes('Understand File'));
      assert.ok(schema.properties.action.enum.includes('Final Answer'));
      assert.equal(schema.properties.action_input.type, 'string');
      assert.match(openAIBody(request).messages[0].content, /Answer format: write the six entries as one JSON object/);
    }
    assert.equal(openAIBody(work[0]).response_format, undefined, 'worker requests stay text');
    assert.doesNotMatch(openAIBody(work[0]).messages[0].content, /Answer format/);
    // every request of the run, planner and worker, shares one prompt cache
    for (const request of openai.requests) assert.equal(openAIBody(request).prompt_cache_key, basename(run.runDir));
    const step = run.log.find((r) => r.type === 'step');
    assert.ok(step, 'the step was logged');
    // costed the same way as text mode: every call booked with its usage
    const calls = run.log.filter((r) => r.type === 'call');
    assert.equal(calls.length, 3);
    assert.ok(calls.every((c) => c.usd > 0 && c.usage.input > 0));
    assert.ok(Math.abs(run.summary.cost.usd - calls.reduce((s, c) => s + c.usd, 0)) < 1e-12);
  });

  test('openai: an input that breaks the action’s zod schema is a format failure, re-asked with the action’s usage', async () => {
    const openai = await serveOpenAI({
      replies: [planner(jsonReply('List Files', { path: '.' })), planner(jsonReply('Final Answer', { final_answer: 'Done.' }))],
    });
    const run = await runScripted({ openai, config: { responseMode: 'json' } });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    const retry = openAIBody(openai.requests[1]).messages.at(-1)!.content;
    assert.match(retry, /Action Input for "List Files" is wrong: missing key: dir_path; unexpected key: path/);
    assert.match(retry, /Usage of List Files/);
    assert.match(retry, /Respond again with one JSON object/);
  });

  test('gemini: responseMimeType application/json and a responseSchema with the menu as an enum', async () => {
    const openai = await serveOpenAI({ replies: [] });
    const gemini = await serveGemini({
      replies: [planner(jsonReply('List Files', { dir_path: '.' })), planner(jsonReply('Final Answer', { final_answer: 'Done.' }))],
    });
    const run = await runScripted({
      openai,
      gemini,
      config: { responseMode: 'json', models: { planner: ['gemini:flash'], worker: ['gemini:flash'], expert: 'openai:expert' } },
    });

    assert.equal(run.summary.status, 'final_answer', run.summary.message);
    assert.equal(gemini.requests.length, 2);
    for (const request of gemini.requests) {
      const config = geminiBody(request).generationConfig;
      assert.equal(config.responseMimeType, 'application/json');
      assert.equal(config.responseSchema!.type, 'OBJECT');
      assert.deepEqual(config.responseSchema!.propertyOrdering, [
        'reflection',
        'research_plan_and_status',
        'fact_check',
        'thought',
        'action',
        'action_input',
      ]);
      assert.ok(config.responseSchema!.properties.action.enum.includes('List Files'));
    }
    // the cacheable prefix: the system instruction (with the JSON instructions) is the same bytes at every step
    const [first, second] = gemini.requests.map(geminiBody);
    assert.ok(first.systemInstruction!.parts[0].text.length > 1000);
    assert.deepEqual(second.systemInstruction, first.systemInstruction);
    assert.match(first.systemInstruction!.parts[0].text, /Answer format: write the six entries as one JSON object/);
    const firstLine = (body: GeminiBody) => body.contents[0].parts[0].text.split('\n').slice(0, 2).join('\n');
    assert.equal(firstLine(second), firstLine(first));
  });

  for (const provider of ['openai', 'gemini'] as const) {
    test(`${provider}: a server that refuses the schema gets text for the rest of the run, with one warning`, async () => {
      const replies = [
        planner(plannerReply({ action: 'List Files', input: { dir_path: '.' } }, 1)),
        planner(plannerReply({ action: 'Final Answer', input: { final_answer: 'Done.' } }, 2)),
      ];
      const openai = await serveOpenAI(provider === 'openai' ? { replies } : { replies: [] }, { refuseStructuredOutput: true });
      const gemini = await serveGemini(provider === 'gemini' ? { replies } : { replies: [] }, { refuseStructuredOutput: true });
      const models = provider === 'gemini' ? { planner: ['gemini:flash'], worker: ['gemini:flash'], expert: 'openai:expert' } : undefined;
      const run = await runScripted({ openai, gemini, config: { responseMode: 'json', ...(models ? { models } : {}) } });

      assert.equal(run.summary.status, 'final_answer', run.summary.message);
      const server = provider === 'openai' ? openai : gemini;
      // the refused request, then the same question in text, then the next step in text
      assert.equal(server.requests.length, 3);
      const asksJson = (r: RecordedRequest) =>
        provider === 'openai' ? openAIBody(r).response_format !== undefined : geminiBody(r).generationConfig.responseSchema !== undefined;
      assert.deepEqual(server.requests.map(asksJson), [true, false, false]);
      const warnings = run.log.filter((r) => r.type === 'warning' && /refused the JSON response schema/.test(r.message));
      assert.equal(warnings.length, 1);
      assert.equal(run.log.filter((r) => r.type === 'escalation').length, 0, 'no escalation for it');
      const failed = run.log.filter((r) => r.type === 'call' && r.error);
      assert.equal(failed.length, 1, 'the refused request is logged');
      assert.equal(failed[0].usd, 0);
    });
  }
});

describe('structured answers, read', () => {
  const ACTIONS: ActionDef[] = [
    {
      name: 'List Files',
      description: 'Lists files.',
      input: z.strictObject({ dir_path: z.string() }),
      inputHelp: { dir_path: 'a directory' },
      usesLlm: false,
      run: async () => ({ observation: '' }),
    },
  ];

  test('the schema is strict: every property required, none other allowed', () => {
    const { schema, name } = plannerResponseSchema(ACTIONS);
    assert.match(name, /^[\w-]+$/);
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(schema.required, Object.keys(schema.properties!));
    assert.deepEqual(schema.properties!.action.enum, ['List Files']);
  });

  test('reads action_input as a string, or as an object from a provider that ignored the schema', () => {
    const asString = parsePlannerResponse(jsonReply('List Files', { dir_path: 'data' }), ACTIONS);
    assert.ok(asString.ok);
    assert.deepEqual(asString.value.actionInput, { dir_path: 'data' });
    assert.deepEqual(asString.repairs, []);
    const asObject = JSON.stringify({ ...JSON.parse(jsonReply('List Files', {})), action_input: { dir_path: 'src' } });
    const read = parsePlannerResponse(`\`\`\`json\n${asObject}\n\`\`\``, ACTIONS);
    assert.ok(read.ok);
    assert.deepEqual(read.value.actionInput, { dir_path: 'src' });
  });

  test('names missing keys and an unknown action', () => {
    const broken = JSON.stringify({ thought: 'x', action: 'Train', action_input: '{}' });
    const result = parsePlannerResponse(broken, ACTIONS);
    assert.ok(!result.ok);
    assert.match(result.error, /Missing keys: reflection, research_plan_and_status, fact_check\./);
    assert.match(result.error, /"Train" is not a valid action/);
  });
});
