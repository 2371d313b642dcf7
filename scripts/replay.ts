/**
 * Runs the CLI on the sample diabetes task with recorded model answers served by a local
 * OpenAI-compatible server: every step, script run, score and cost figure is real except that the
 * model's words are a replay. Needs no API key.   npm run replay
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startFakeOpenAI } from '../test/fixtures/fakeOpenAI';

const ROOT = resolve(__dirname, '..');

async function main(): Promise<number> {
  const server = await startFakeOpenAI(join(ROOT, 'media/replay/diabetes-tree.json'));
  const dir = mkdtempSync(join(tmpdir(), 'budgetml-replay-'));
  const config = join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({
    providers: { openai: { baseUrl: server.url } },
    models: { planner: ['openai:gpt-4.1-mini'], worker: ['openai:gpt-4.1-mini'], expert: 'openai:gpt-4.1' },
    python: process.env.BUDGETML_PYTHON ?? '/usr/bin/python3',
  }));
  const out = join(ROOT, '.budgetml', 'runs', `replay-${Date.now()}`);
  console.error('REPLAY: recorded model answers from a local server; no API is called and nothing is charged.\n');
  const child = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), 'run', join(ROOT, 'test/fixtures/tasks/diabetes-tree'), '--config', config, '--out', out, '--json'], {
    stdio: 'inherit',
    env: { ...process.env, OPENAI_API_KEY: 'replay' },
  });
  const code = await new Promise<number>((done) => child.on('close', (c) => done(c ?? 1)));
  await server.close();
  console.error(`\nREPLAY finished; the run folder is ${out} (costs shown are what these tokens would cost at gpt-4.1-mini prices)`);
  return code;
}

main().then((code) => process.exit(code));
