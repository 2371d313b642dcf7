import { unifiedDiff } from '../text/diff';
import { findSeeds, importedModules } from './codeFacts';
import { snapshotCode, snapshotText, type CodeSnapshot } from './codeSnapshot';
import type { DataFiles } from './dataFiles';
import type { EnvProbe } from './envProbe';
import { diffHyperParams, extractHyperParams } from './hyperParams';
import type { DataFile, ExperimentRecord } from './types';

/** The parts of an experiment record that describe its code, data and environment. */
export type CodeFacts = Pick<ExperimentRecord, 'codeHash' | 'code' | 'changedSinceParent' | 'seeds' | 'env' | 'data' | 'git'>;

export interface CodeFactsInput {
  root: string;
  script: string;
  runDir: string;
  /** the previous experiment of the same script */
  parent: ExperimentRecord | undefined;
  envProbe: EnvProbe;
  dataFiles: DataFiles;
}

/**
 * Reads what must be seen before the script starts (its code, the data files that exist); the
 * rest (hashes, the environment) is completed by the returned promise while the script runs.
 */
export async function startCodeFacts(input: CodeFactsInput): Promise<() => Promise<CodeFacts>> {
  const snapshot = await snapshotCode(input.root, input.script, input.runDir);
  if (!snapshot) return async () => ({});
  const files = await input.dataFiles.find(snapshot.text, input.root);
  const rest = completeFacts(input, snapshot, files);
  rest.catch(() => undefined);
  return () => rest;
}

async function completeFacts(input: CodeFactsInput, snapshot: CodeSnapshot, files: DataFile[]): Promise<CodeFacts> {
  const { text } = snapshot;
  const [env, data] = await Promise.all([
    input.envProbe.env(importedModules(text)).catch(() => undefined),
    input.dataFiles.hashed(files, input.root),
  ]);
  const seeds = findSeeds(text);
  return {
    codeHash: snapshot.hash,
    code: snapshot.files,
    ...changeOf(input, text),
    ...(Object.keys(seeds).length > 0 ? { seeds } : {}),
    ...(env ? { env } : {}),
    ...(data.length > 0 ? { data } : {}),
  };
}

function changeOf({ parent, runDir, script }: CodeFactsInput, text: string): Pick<CodeFacts, 'changedSinceParent'> {
  const parentHash = parent?.code?.[script];
  const before = parentHash ? snapshotText(runDir, parentHash) : undefined;
  if (!parent || before === undefined) return {};
  return {
    changedSinceParent: {
      parent: parent.id,
      diff: unifiedDiff(script, before, text),
      hyperParams: diffHyperParams(extractHyperParams(before), extractHyperParams(text)),
    },
  };
}
