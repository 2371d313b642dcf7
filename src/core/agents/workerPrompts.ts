/**
 * The worker personas and the prompts of the LLM-backed actions.
 * Each system text is a constant, identical across calls, so providers can cache it;
 * everything that varies goes into the user text.
 */

export interface WorkerPrompt {
  system: string;
  user: string;
}

const READER_SYSTEM = [
  'You are an expert at reading code and prose. You read files for a researcher who is solving a machine-learning task.',
  'Report only what the text in front of you confirms; never guess numbers or fill gaps from general knowledge.',
  'Refer to the line numbers of the critical lines you rely on. Be concise and concrete.',
  'When something asked for is not in the text, say "In this segment, I cannot find ..." instead of inventing it.',
].join('\n');

const EDITOR_SYSTEM = [
  'You are an expert at editing code. You apply an edit instruction to a file exactly as asked and change nothing else.',
  'Keep the existing style, names and comments unless the instruction says otherwise. The result must run as it is.',
  'Reply with the complete new text inside ONE fenced code block (```). Never abbreviate: no "..." and no',
  '"rest of the code unchanged" placeholders, since the block replaces the old text as it is.',
  'You may add a short note before the code block; put nothing inside it except the new text.',
].join('\n');

const REFLECTOR_SYSTEM = [
  'You are an expert machine-learning researcher reviewing the research log of an experiment in progress.',
  'Answer the question you are asked as truthfully as possible in plain paragraphs, based on the log.',
  'Separate what the observations confirmed from what is still a guess, and point out mistakes and better next steps.',
].join('\n');

/** The fence language for a file name, e.g. "python" for .py. */
function fenceLanguage(fileName: string): string {
  const extension = fileName.toLowerCase().split('.').pop() ?? '';
  const known: Record<string, string> = {
    py: 'python',
    sh: 'bash',
    json: 'json',
    yaml: 'yaml',
    yml: 'yaml',
    md: 'markdown',
    js: 'javascript',
    ts: 'typescript',
    toml: 'toml',
    cfg: 'ini',
    ini: 'ini',
    txt: 'text',
  };
  return known[extension] ?? '';
}

export interface ReadBlock {
  fileName: string;
  thingsToLookFor: string;
  /** the block's lines, already numbered */
  numberedText: string;
  firstLine: number;
  lastLine: number;
  /** 1-based position of the block and how many there are */
  index: number;
  count: number;
}

export function understandBlockPrompt(block: ReadBlock): WorkerPrompt {
  const part = block.count > 1 ? ` (part ${block.index} of ${block.count})` : '';
  const user = [
    `Here are lines ${block.firstLine} to ${block.lastLine} of ${block.fileName}${part}:`,
    '```',
    block.numberedText,
    '```',
    `Look for the following and describe what you find: ${block.thingsToLookFor}`,
    'Keep the description short and reference the critical line numbers.',
  ].join('\n');
  return { system: READER_SYSTEM, user };
}

export function understandCombinePrompt(fileName: string, thingsToLookFor: string, notes: string[]): WorkerPrompt {
  const user = [
    `The file ${fileName} was read in ${notes.length} segments. These are the notes on each segment:`,
    ...notes.map((note, i) => `--- Segment ${i + 1} ---\n${note}`),
    '---',
    `Combine them into one cohesive description of the whole file, covering: ${thingsToLookFor}`,
    'Keep line references, drop repetition, and say clearly what could not be found anywhere in the file.',
  ].join('\n');
  return { system: READER_SYSTEM, user };
}

export interface WholeEdit {
  fileName: string;
  /** the current text; '' when the file is to be created */
  content: string;
  instruction: string;
  isNew: boolean;
}

export function editWholePrompt(edit: WholeEdit): WorkerPrompt {
  const language = fenceLanguage(edit.fileName);
  const current = edit.isNew
    ? `The file ${edit.fileName} does not exist yet; write it from scratch.`
    : [`This is the current ${edit.fileName}:`, '```' + language, edit.content, '```'].join('\n');
  const user = [
    current,
    `Edit instruction:\n${edit.instruction}`,
    `Reply with the full text of ${edit.fileName} after the edit in one code block starting with \`\`\`${language}.`,
  ].join('\n\n');
  return { system: EDITOR_SYSTEM, user };
}

export interface SegmentEdit {
  fileName: string;
  segment: string;
  instruction: string;
  firstLine: number;
  lastLine: number;
  /** a few lines before and after the segment, for orientation only */
  before: string;
  after: string;
}

export function editSegmentPrompt(edit: SegmentEdit): WorkerPrompt {
  const language = fenceLanguage(edit.fileName);
  const context = (label: string, text: string) => (text ? `${label} (context only, do not repeat it):\n${text}` : '');
  const user = [
    context(`Lines just before the segment`, edit.before),
    [
      `This is the segment to edit, lines ${edit.firstLine} to ${edit.lastLine} of ${edit.fileName}:`,
      '```' + language,
      edit.segment,
      '```',
    ].join('\n'),
    context(`Lines just after the segment`, edit.after),
    `Edit instruction:\n${edit.instruction}`,
    `Reply with the full new text of the segment only (it replaces lines ${edit.firstLine}-${edit.lastLine}) in one code block starting with \`\`\`${language}. Keep the indentation it needs to fit between the lines around it.`,
  ]
    .filter((part) => part !== '')
    .join('\n\n');
  return { system: EDITOR_SYSTEM, user };
}

export function reflectionPrompt(thingsToReflectOn: string, researchLog: string): WorkerPrompt {
  const user = [
    'This is the research log so far:',
    '```',
    researchLog || '(no steps yet)',
    '```',
    `Reflect on this: ${thingsToReflectOn}`,
  ].join('\n');
  return { system: REFLECTOR_SYSTEM, user };
}

export type CodeBlock = { ok: true; code: string } | { ok: false; problem: string };

/**
 * The first fenced code block of a reply. The closing fence is a line of at least as many
 * backticks as the opening one. The code keeps a final newline when it has any lines.
 */
export function extractCodeBlock(reply: string): CodeBlock {
  const lines = reply.split(/\r?\n/);
  const start = lines.findIndex((line) => /^\s*```+[\w+.#-]*\s*$/.test(line));
  if (start < 0) {
    return { ok: false, problem: 'The reply has no fenced code block. Put the complete new text inside one ``` code block.' };
  }
  const fence = lines[start].trim().match(/^`+/)![0];
  const end = lines.findIndex((line, i) => i > start && new RegExp(`^\\s*${fence}\`*\\s*$`).test(line));
  if (end < 0) {
    return {
      ok: false,
      problem: 'The code block is never closed (the reply may have been cut off). Reply with the whole text in one closed code block.',
    };
  }
  const body = lines.slice(start + 1, end);
  return { ok: true, code: body.length === 0 ? '' : body.join('\n') + '\n' };
}
