import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import type { ActionDef } from '../../src/core/actions/action';
import { parsePlannerResponse } from '../../src/core/format/parse';

/**
 * Near-misses of the six-entry format, as real models write them, read by local repair instead of
 * a retry. Each reply fails without the repair, reads with it, and the repair is reported.
 */

function testAction(name: string, input: z.ZodObject, inputHelp: Record<string, string>): ActionDef {
  return { name, description: `Test action ${name}.`, input, inputHelp, usesLlm: false, run: async () => ({ observation: '' }) };
}

const ACTIONS: ActionDef[] = [
  testAction('List Files', z.strictObject({ dir_path: z.string() }), { dir_path: 'a relative directory path' }),
  testAction(
    'Inspect Script Lines',
    z.strictObject({ script_name: z.string(), start_line_number: z.coerce.number().int(), end_line_number: z.coerce.number().int() }),
    { script_name: 'the script', start_line_number: 'first line', end_line_number: 'last line' },
  ),
  testAction('Edit Script (AI)', z.strictObject({ script_name: z.string(), edit_instruction: z.string(), save_name: z.string() }), {
    script_name: 'the script to edit',
    edit_instruction: 'what to change',
    save_name: 'where to save the result',
  }),
  testAction(
    'Edit Script Segment (AI)',
    z.strictObject({ script_name: z.string(), start_line_number: z.number(), end_line_number: z.number() }),
    {
      script_name: 'the script',
      start_line_number: 'first line',
      end_line_number: 'last line',
    },
  ),
];

const HEAD = [
  'Reflection: The baseline ran; the MAE is 58.2 on the validation split.',
  'Research Plan and Status:',
  '1. Understand train.py. Done.',
  '2. Baseline: **MAE 58.2 (confirmed)**.',
  '3. Try a gradient boosting model. In progress.',
  'Fact Check: MAE 58.2 is confirmed by the last observation.',
  'Thought: I will read the model part of the script before editing it.',
].join('\n');

interface Case {
  name: string;
  reply: string;
  action: string;
  input: Record<string, unknown>;
  /** what the logged repair says */
  repair: RegExp;
}

const CASES: Case[] = [
  {
    name: 'Action Input glued to the end of the Action line (gpt-4o-mini)',
    reply: `${HEAD}\nAction: Inspect Script LinesAction Input: {"script_name": "train.py", "start_line_number": 1, "end_line_number": 40}`,
    action: 'Inspect Script Lines',
    input: { script_name: 'train.py', start_line_number: 1, end_line_number: 40 },
    repair: /"Action Input" was glued/,
  },
  {
    name: 'Action glued to the end of the Thought',
    reply: `${HEAD.replace(/editing it\.$/, 'editing it.Action: List Files')}\nAction Input: {"dir_path": "."}`,
    action: 'List Files',
    input: { dir_path: '.' },
    repair: /"Action" was glued/,
  },
  {
    name: 'headings without their colon',
    reply: `${HEAD}\nAction List Files\nAction Input {"dir_path": "data"}`,
    action: 'List Files',
    input: { dir_path: 'data' },
    repair: /had no colon/,
  },
  {
    name: 'bold headings written as a bulleted list',
    reply: [
      '- **Reflection:** The baseline ran.',
      '- **Research Plan and Status:** 1. Baseline **done**.',
      '- **Fact Check:** the baseline is confirmed.',
      '- **Thought**: list the files.',
      '- **Action:** List Files',
      '- **Action Input:** {"dir_path": "."}',
    ].join('\n'),
    action: 'List Files',
    input: { dir_path: '.' },
    repair: /written as a list item/,
  },
  {
    name: 'numbered markdown headings',
    reply: [
      '### 1. Reflection',
      'The baseline ran.',
      '### 2. Research Plan and Status',
      '1. Baseline **done**.',
      '### 3. Fact Check',
      'confirmed',
      '### 4. Thought',
      'Look at the data.',
      '### 5. Action',
      'List Files',
      '### 6. Action Input',
      '```json',
      '{"dir_path": "data"}',
      '```',
    ].join('\n'),
    action: 'List Files',
    input: { dir_path: 'data' },
    repair: /written as a list item/,
  },
  {
    name: 'headings with a dash or a full-width colon',
    reply: `${HEAD.replace('Thought:', 'Thought -')}\nAction： Edit Script (AI)\nAction Input： {"script_name": "train.py", "edit_instruction": "use GBM", "save_name": "train.py"}`,
    action: 'Edit Script (AI)',
    input: { script_name: 'train.py', edit_instruction: 'use GBM', save_name: 'train.py' },
    repair: /had no colon/,
  },
  {
    name: 'a trailing sentence after the action name',
    reply: `${HEAD}\nAction: Edit Script (AI) - to add the gradient boosting model\nAction Input: {"script_name": "train.py", "edit_instruction": "use GBM", "save_name": "train.py"}`,
    action: 'Edit Script (AI)',
    input: { script_name: 'train.py', edit_instruction: 'use GBM', save_name: 'train.py' },
    repair: /read from "Edit Script \(AI\) - to add/,
  },
  {
    name: 'the action name in a code fence',
    reply: `${HEAD}\nAction:\n\`\`\`\nList Files\n\`\`\`\nAction Input:\n\`\`\`json\n{"dir_path": "."}\n\`\`\``,
    action: 'List Files',
    input: { dir_path: '.' },
    repair: /read from a code fence/,
  },
  {
    name: 'code-fenced JSON input with comments and a trailing sentence',
    reply: `${HEAD}\nAction: Inspect Script Lines\nAction Input:\n\`\`\`json\n{\n  "script_name": "train.py", // the script\n  "start_line_number": 1,\n  "end_line_number": 40 /* the model part */\n}\n\`\`\`\nThis shows where the model is built.`,
    action: 'Inspect Script Lines',
    input: { script_name: 'train.py', start_line_number: 1, end_line_number: 40 },
    repair: /JSON was repaired \(comments\)/,
  },
  {
    name: 'a Python dict as the input',
    reply: `${HEAD}\nAction: Edit Script (AI)\nAction Input: {'script_name': 'train.py', 'edit_instruction': "don't touch the \\"seed\\"", 'save_name': 'train.py'}`,
    action: 'Edit Script (AI)',
    input: { script_name: 'train.py', edit_instruction: 'don\'t touch the "seed"', save_name: 'train.py' },
    repair: /single quotes/,
  },
  {
    name: 'the input as a JSON string holding the object',
    reply: `${HEAD}\nAction: List Files\nAction Input: "{\\"dir_path\\": \\"data\\"}"`,
    action: 'List Files',
    input: { dir_path: 'data' },
    repair: /JSON object written as a string/,
  },
];

describe('local repair of near-misses', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const strict = parsePlannerResponse(c.reply, ACTIONS, { repair: false });
      assert.equal(strict.ok, false, 'fails without the repair');
      const result = parsePlannerResponse(c.reply, ACTIONS);
      if (!result.ok) assert.fail(`expected the repair to read it:\n${result.error}`);
      assert.equal(result.value.action, c.action);
      assert.deepEqual(result.value.actionInput, c.input);
      assert.ok(
        result.repairs.some((r) => c.repair.test(r)),
        `the repair is reported: ${JSON.stringify(result.repairs)}`,
      );
    });
  }

  it('keeps the entries whole: a repaired reply reads the same entries as a well-formed one', () => {
    const result = parsePlannerResponse(`${HEAD}\nAction List Files\nAction Input {"dir_path": "."}`, ACTIONS);
    assert.ok(result.ok);
    assert.match(result.value.researchPlan, /^1\. Understand train\.py\. Done\.\n2\. Baseline/);
    assert.equal(result.value.thought, 'I will read the model part of the script before editing it.');
  });

  it('repairs nothing in a well-formed reply, nor a list item inside an entry that was read', () => {
    const plain = `${HEAD.replace('1. Understand', '1. Action: understand')}\nAction: List Files\nAction Input: {"dir_path": "."}`;
    const result = parsePlannerResponse(plain, ACTIONS);
    assert.ok(result.ok);
    assert.deepEqual(result.repairs, []);
    assert.match(result.value.researchPlan, /1\. Action: understand/);
  });

  it('does not guess: a word that only starts like a heading, or an unknown action, still fails', () => {
    const actions = parsePlannerResponse(`${HEAD}\nActions: List Files\nAction Input: {"dir_path": "."}`, ACTIONS);
    assert.equal(actions.ok, false);
    const unknown = parsePlannerResponse(`${HEAD}\nAction: Train Model now\nAction Input: {"dir_path": "."}`, ACTIONS);
    assert.ok(!unknown.ok && /"Train Model now" is not a valid action/.test(unknown.error));
  });

  it('takes the longest action name a trailing sentence starts with', () => {
    const reply = `${HEAD}\nAction: Edit Script Segment (AI) (lines 10-20)\nAction Input: {"script_name": "a.py", "start_line_number": 10, "end_line_number": 20}`;
    const result = parsePlannerResponse(reply, ACTIONS);
    assert.ok(result.ok);
    assert.equal(result.value.action, 'Edit Script Segment (AI)');
  });

  it('gives the action’s full usage when its input is wrong', () => {
    const result = parsePlannerResponse(`${HEAD}\nAction: List Files\nAction Input: {"path": "."}`, ACTIONS);
    assert.ok(!result.ok);
    assert.match(result.error, /unexpected key: path/);
    assert.match(result.error, /Usage of List Files: Test action List Files\./);
  });
});

describe('a repair never changes what the model chose', () => {
  it('two candidate Action lines (a list in the Thought, then the real one without a colon): not repaired, the model is asked again', () => {
    const reply = [
      'Reflection: The edit made it worse.',
      'Research Plan and Status: 1. Undo or retry.',
      'Fact Check: none',
      'Thought: Two options now:',
      '- Action: Edit Script Segment (AI) on lines 1-5 to rewrite them',
      'I will only look at them first.',
      'Action Inspect Script Lines',
      'Action Input: {"script_name": "train.py", "start_line_number": 1, "end_line_number": 5}',
    ].join('\n');
    const result = parsePlannerResponse(reply, ACTIONS);
    assert.equal(result.ok, false, result.ok ? `read as ${result.value.action}` : '');
  });

  it('a single-quoted input keeps its escapes as written', () => {
    const reply = `${HEAD}\nAction: Edit Script (AI)\nAction Input: {'script_name': 'C:\\\\data\\\\a.py', 'edit_instruction': 'print(\\'done\\\\n\\') and say "hi"', 'save_name': 'a.py'}`;
    const result = parsePlannerResponse(reply, ACTIONS);
    if (!result.ok) assert.fail(result.error);
    assert.equal(result.value.actionInput.script_name, 'C:\\data\\a.py');
    assert.equal(result.value.actionInput.edit_instruction, `print('done\\n') and say "hi"`);
  });
});
