import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import type { ActionDef } from '../../src/core/actions/action';
import { parsePlannerResponse } from '../../src/core/format/parse';
import { describeActions, formatInstructions, fullUsage, fullUsageOf } from '../../src/core/format/instructions';
import type { PlannerResponse } from '../../src/core/format/response';

function testAction(name: string, input: z.ZodObject, inputHelp: Record<string, string>): ActionDef {
  return {
    name,
    description: `Test action ${name}.`,
    input,
    inputHelp,
    usesLlm: false,
    run: async () => ({ observation: '' }),
  };
}

const ACTIONS: ActionDef[] = [
  testAction('List Files', z.strictObject({ dir_path: z.string() }), { dir_path: 'a relative directory path, e.g. "."' }),
  testAction(
    'Inspect Script Lines',
    z.strictObject({
      script_name: z.string(),
      start_line_number: z.coerce.number().int(),
      end_line_number: z.coerce.number().int(),
    }),
    {
      script_name: 'the script to read',
      start_line_number: 'first line to show',
      end_line_number: 'last line to show',
    },
  ),
  testAction('Edit Script (AI)', z.strictObject({ script_name: z.string(), edit_instruction: z.string(), save_name: z.string() }), {
    script_name: 'the script to edit',
    edit_instruction: 'what to change',
    save_name: 'where to save the result',
  }),
  testAction('Final Answer', z.strictObject({ final_answer: z.string() }), { final_answer: 'the final answer' }),
];

function reply(action = 'List Files', input = '{"dir_path": "."}'): string {
  return [
    'Reflection: The files are not known yet.',
    'Research Plan and Status:',
    '1. Look at the files. **Started.**',
    'Fact Check: None yet.',
    'Thought: I should list the files.',
    `Action: ${action}`,
    `Action Input: ${input}`,
  ].join('\n');
}

/** The entries of `reply()` with its defaults. */
function assertPlainReply(value: PlannerResponse): void {
  assert.equal(value.reflection, 'The files are not known yet.');
  assert.equal(value.researchPlan, '1. Look at the files. **Started.**');
  assert.equal(value.factCheck, 'None yet.');
  assert.equal(value.thought, 'I should list the files.');
  assert.equal(value.action, 'List Files');
  assert.deepEqual(value.actionInput, { dir_path: '.' });
}

function ok(text: string): PlannerResponse {
  const result = parsePlannerResponse(text, ACTIONS);
  if (!result.ok) assert.fail(`expected success, got:\n${result.error}`);
  return result.value;
}

function fails(text: string): string {
  const result = parsePlannerResponse(text, ACTIONS);
  if (result.ok) assert.fail(`expected an error, got ${JSON.stringify(result.value)}`);
  assert.match(result.error, /Respond again, in exactly this format/, 'every error ends with the format reminder');
  return result.error;
}

describe('parsePlannerResponse: accepted forms', () => {
  it('reads a plain response', () => {
    assertPlainReply(ok(reply()));
  });

  it('accepts bold headings in both styles, and content below the heading', () => {
    const text = [
      '**Reflection:** Nothing yet.',
      '**Research Plan and Status**:',
      '1. **List the files**',
      '**Fact Check:**',
      '- nothing confirmed',
      '**Thought**',
      'List them.',
      '**Action:** List Files',
      '**Action Input:**',
      '{"dir_path": "data"}',
    ].join('\n');
    const value = ok(text);
    assert.equal(value.reflection, 'Nothing yet.');
    assert.equal(value.researchPlan, '1. **List the files**');
    assert.equal(value.factCheck, '- nothing confirmed');
    assert.equal(value.thought, 'List them.');
    assert.deepEqual(value.actionInput, { dir_path: 'data' });
  });

  it('accepts markdown # headings in any case and ignores text before the first entry', () => {
    const text = [
      'Sure, here is my answer.',
      '# Reflection',
      'None.',
      '### research plan and status:',
      '1. start',
      '## FACT CHECK',
      'none',
      '## Thought:',
      'go',
      '## Action',
      'List Files',
      '## Action Input',
      '{"dir_path": "."}',
    ].join('\n');
    const value = ok(text);
    assert.equal(value.reflection, 'None.');
    assert.equal(value.researchPlan, '1. start');
    assert.equal(value.action, 'List Files');
  });

  it('accepts entries out of order when all are present', () => {
    const text = [
      'Thought: first the thought',
      'Action: List Files',
      'Action Input: {"dir_path": "."}',
      'Reflection: late reflection',
      'Fact Check: none',
      'Research Plan and Status: plan',
    ].join('\n');
    const value = ok(text);
    assert.equal(value.thought, 'first the thought');
    assert.equal(value.reflection, 'late reflection');
    assert.deepEqual(value.actionInput, { dir_path: '.' });
  });

  it('reads JSON in ``` and ```json fences, with trailing text after it', () => {
    for (const fence of ['```', '```json']) {
      const value = ok(reply('List Files', `\n${fence}\n{"dir_path": "src"}\n\`\`\`\nI hope this helps.`));
      assert.deepEqual(value.actionInput, { dir_path: 'src' });
    }
  });

  it('tolerates trailing commas and raw line breaks inside strings', () => {
    assert.deepEqual(ok(reply('List Files', '{"dir_path": ".",}')).actionInput, { dir_path: '.' });
    const edit = ok(reply('Edit Script (AI)', '{"script_name": "a.py", "edit_instruction": "line one\nline two", "save_name": "a.py",\n}'));
    assert.equal(edit.actionInput.edit_instruction, 'line one\nline two');
  });

  it('keeps braces inside JSON strings and ignores text after the closing brace', () => {
    const value = ok(reply('Final Answer', '{"final_answer": "use {x} and }"} and then some words'));
    assert.deepEqual(value.actionInput, { final_answer: 'use {x} and }' });
  });

  it('matches the action name ignoring case, backticks and quotes', () => {
    assert.equal(ok(reply('list files')).action, 'List Files');
    assert.equal(ok(reply('`List Files`')).action, 'List Files');
    assert.equal(ok(reply('"List Files"')).action, 'List Files');
    assert.equal(
      ok(reply('**edit script (ai)**', '{"script_name": "a.py", "edit_instruction": "x", "save_name": "b.py"}')).action,
      'Edit Script (AI)',
    );
  });

  it('coerces numbers written as strings', () => {
    const value = ok(reply('Inspect Script Lines', '{"script_name": "train.py", "start_line_number": "1", "end_line_number": 20}'));
    assert.deepEqual(value.actionInput, { script_name: 'train.py', start_line_number: 1, end_line_number: 20 });
  });

  it('does not read list items inside an entry as headings', () => {
    const text = reply().replace('1. Look at the files. **Started.**', '1. Action: list the files\n- Thought: none');
    const value = ok(text);
    assert.equal(value.researchPlan, '1. Action: list the files\n- Thought: none');
    assert.equal(value.thought, 'I should list the files.');
  });

  for (const [name, separator] of [
    ['a lone CR', '\r'],
    ['CRLF', '\r\n'],
    ['U+2028 (line separator)', '\u2028'],
    ['U+2029 (paragraph separator)', '\u2029'],
  ] as const) {
    it(`reads the six entries when lines end with ${name}`, () => {
      assertPlainReply(ok(reply().split('\n').join(separator)));
    });
  }

  it('reads a multi-line Action Input whose lines end with a lone CR', () => {
    const value = ok(
      reply('Edit Script (AI)', '{\r  "script_name": "train.py",\r  "edit_instruction": "one\rtwo",\r  "save_name": "train.py"\r}').replace(
        /\n/g,
        '\r',
      ),
    );
    assert.equal(value.action, 'Edit Script (AI)');
    assert.deepEqual(value.actionInput, { script_name: 'train.py', edit_instruction: 'one\ntwo', save_name: 'train.py' });
  });

  it('stops at an invented Observation', () => {
    const text = `${reply()}\nObservation: a.py b.py\nReflection: invented\nAction: Final Answer`;
    const value = ok(text);
    assert.equal(value.reflection, 'The files are not known yet.');
    assert.equal(value.action, 'List Files');
  });
});

describe('parsePlannerResponse: rejected replies', () => {
  it('names one missing entry', () => {
    const error = fails(reply().replace('Fact Check: None yet.\n', ''));
    assert.match(error, /Missing entry: Fact Check\./);
  });

  it('names several missing entries', () => {
    const error = fails(reply().replace('Fact Check: None yet.\n', '').replace('Reflection: The files are not known yet.\n', ''));
    assert.match(error, /Missing entries: Reflection, Fact Check\./);
  });

  it('reports an empty text', () => {
    const error = fails('   \n');
    assert.match(error, /empty/);
    assert.match(error, /Reflection, Research Plan and Status, Fact Check, Thought, Action, Action Input/);
  });

  it('reports text without any entry', () => {
    const error = fails('I think we should list the files first and then train a model.');
    assert.match(error, /Missing entries: Reflection, Research Plan and Status, Fact Check, Thought, Action, Action Input\./);
  });

  it('rejects an empty Action', () => {
    const error = fails(reply(''));
    assert.match(error, /Action is empty/);
    assert.match(error, /Valid actions: List Files, Inspect Script Lines, Edit Script \(AI\), Final Answer\./);
  });

  it('rejects an unknown action and lists the valid ones', () => {
    const error = fails(reply('Train Model'));
    assert.match(error, /"Train Model" is not a valid action\. Valid actions: List Files, Inspect Script Lines/);
  });

  it('rejects Action Input that is not a JSON object', () => {
    assert.match(fails(reply('List Files', '["."]')), /must be a JSON object, not an array/);
    assert.match(fails(reply('List Files', '"."')), /must be a JSON object, not a string/);
    assert.match(fails(reply('List Files', '42')), /must be a JSON object, not a number/);
    assert.match(fails(reply('List Files', 'the current folder')), /must be a JSON object like/);
    assert.match(fails(reply('List Files', '')), /Action Input is empty/);
  });

  it('rejects broken JSON and shows the expected keys', () => {
    const unclosed = fails(reply('List Files', '{"dir_path": "."'));
    assert.match(unclosed, /never closed/);
    assert.match(unclosed, /"dir_path": a relative directory path/);
    assert.match(fails(reply('List Files', '{dir_path: .}')), /Action Input is not valid JSON \(/);
  });

  it('names missing, unexpected and wrongly typed keys with the expected keys and their help', () => {
    const error = fails(reply('Inspect Script Lines', '{"script_name": "train.py", "start_line_number": "ten", "lines": 5}'));
    assert.match(error, /missing key: end_line_number/);
    assert.match(error, /unexpected key: lines/);
    assert.match(error, /"start_line_number" must be a number \(got "ten"\)/);
    assert.match(
      error,
      /"script_name": the script to read\n\s+"start_line_number": first line to show\n\s+"end_line_number": last line to show/,
    );
  });

  it('rejects a non-integer line number and a string key given as a number', () => {
    const error = fails(reply('Inspect Script Lines', '{"script_name": 7, "start_line_number": "2.5", "end_line_number": 9}'));
    assert.match(error, /"start_line_number" must be an integer \(got "2\.5"\)/);
    assert.match(error, /"script_name" must be a string \(got 7\)/);
  });

  it('names several problems at once', () => {
    const error = fails(reply('Train Model', '[1]').replace('Thought: I should list the files.\n', ''));
    assert.match(error, /Missing entry: Thought\./);
    assert.match(error, /"Train Model" is not a valid action/);
    assert.match(error, /not an array/);
  });
});

describe('format instructions and action menu', () => {
  it('names the six entries and the content rules', () => {
    const text = formatInstructions();
    for (const entry of ['Reflection:', 'Research Plan and Status:', 'Fact Check:', 'Thought:', 'Action:', 'Action Input:']) {
      assert.ok(text.includes(entry), entry);
    }
    assert.match(text, /\*\*bold\*\*/);
    assert.match(text, /guessed/);
    assert.match(text, /JSON object with exactly the action's keys/);
    assert.equal(formatInstructions(), text);
  });

  it('lists each action in one line with its input keys; the full usage, with an example input built from its help, is apart', () => {
    const menu = describeActions(ACTIONS);
    assert.equal(describeActions(ACTIONS), menu);
    assert.equal(menu.split('\n').length, ACTIONS.length);
    assert.ok(menu.indexOf('- List Files:') < menu.indexOf('- Inspect Script Lines:'));
    assert.match(menu, /^- Inspect Script Lines: .* Keys: script_name, start_line_number, end_line_number\.$/m);
    assert.ok(!menu.includes('Action Input'), 'no usage example in the menu');
    const usage = fullUsageOf('inspect script lines', ACTIONS)!;
    assert.match(usage, /^Usage of Inspect Script Lines: /);
    assert.match(usage, /Action: Inspect Script Lines\nAction Input: \{\n\s+"script_name": "<the script to read>",/);
    assert.match(fullUsage(ACTIONS[0]), /"dir_path": "<a relative directory path, e\.g\. \\"\.\\">"/);
    assert.equal(fullUsageOf('No Such Action', ACTIONS), undefined);
  });

  it('parses its own example shape', () => {
    const value = ok(reply('Final Answer', '{\n    "final_answer": "<the final answer>"\n}'));
    assert.deepEqual(value.actionInput, { final_answer: '<the final answer>' });
  });
});
