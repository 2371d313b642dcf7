import { z } from 'zod';
import { ENV_NAME, MODEL_ID } from '../shared/models';

/**
 * The one settings schema: the CLI's --config file and the extension's `budgetml.*` settings
 * have the same keys, meanings and defaults.
 */

const modelId = z.string().regex(MODEL_ID, 'name models as provider:model, e.g. openai:gpt-4.1-mini');

/** Says what is wrong with an apiKeyEnv without showing it: it may be the key itself. */
export const API_KEY_ENV_PROBLEM =
  'must be the name of an environment variable (letters, digits and _), not the key itself: put the key in an environment variable and give its name here (the value is not shown)';

const provider = (defaultKeyEnv: string) =>
  z.strictObject({
    /** base URL of the API; unset: the provider's own endpoint */
    baseUrl: z.string().url().optional(),
    /** environment variable that holds the key */
    apiKeyEnv: z.string({ error: API_KEY_ENV_PROBLEM }).regex(ENV_NAME, API_KEY_ENV_PROBLEM).default(defaultKeyEnv),
  });

export const priceSchema = z.strictObject({
  input: z.number().nonnegative(),
  cachedInput: z.number().nonnegative().optional(),
  output: z.number().nonnegative(),
});
export type Price = z.infer<typeof priceSchema>;

/** Where scripts run. The SSH host is an alias of the user's ssh config; SLURM jobs read the workspace on a shared file system. */
export const computeSchema = z.strictObject({
  backend: z.enum(['local', 'ssh', 'slurm']).default('local'),
  ssh: z
    .strictObject({
      /** a Host of ~/.ssh/config (or of `configFile`) */
      host: z
        .string()
        .min(1)
        .regex(/^[^\s-][^\s]*$/, 'an ssh host alias: no spaces, not starting with "-"'),
      configFile: z.string().min(1).optional(),
      /** the folder on the remote the workspace is copied to (absolute, or relative to the remote home) */
      remoteDir: z.string().min(1),
      /** the remote interpreter; default python3 */
      python: z.string().min(1).optional(),
    })
    .optional(),
  slurm: z
    .strictObject({
      partition: z.string().min(1).optional(),
      /** more sbatch options, e.g. ["--gres=gpu:1", "--time=02:00:00"] */
      sbatchArgs: z.array(z.string().min(1)).default([]),
      /** how often the job's state is read (seconds) */
      pollSec: z.number().positive().default(2),
    })
    .optional(),
});
export type ComputeSettings = z.infer<typeof computeSchema>;

/** Where a script runs, for the user; undefined: on this machine. The task's scoring stays here under SSH. */
export function computeTarget(compute: ComputeSettings, purpose: 'agent' | 'eval'): string | undefined {
  if (compute.backend === 'ssh' && compute.ssh && purpose === 'agent') return `${compute.ssh.host}:${compute.ssh.remoteDir}`;
  if (compute.backend === 'slurm') return compute.slurm?.partition ? `SLURM (${compute.slurm.partition})` : 'SLURM';
  return undefined;
}

export const configSchema = z.strictObject({
  providers: z
    .strictObject({
      openai: provider('OPENAI_API_KEY').default({ apiKeyEnv: 'OPENAI_API_KEY' }),
      gemini: provider('GEMINI_API_KEY').default({ apiKeyEnv: 'GEMINI_API_KEY' }),
    })
    .default({ openai: { apiKeyEnv: 'OPENAI_API_KEY' }, gemini: { apiKeyEnv: 'GEMINI_API_KEY' } }),
  models: z
    .strictObject({
      planner: z.array(modelId).min(1).default(['gemini:gemini-2.5-flash', 'openai:gpt-4.1-mini']),
      worker: z.array(modelId).min(1).default(['gemini:gemini-2.5-flash-lite', 'gemini:gemini-2.5-flash']),
      expert: modelId.default('openai:gpt-4.1'),
    })
    .default({
      planner: ['gemini:gemini-2.5-flash', 'openai:gpt-4.1-mini'],
      worker: ['gemini:gemini-2.5-flash-lite', 'gemini:gemini-2.5-flash'],
      expert: 'openai:gpt-4.1',
    }),
  /** USD per million tokens, overriding the built-in table */
  prices: z.record(modelId, priceSchema).default({}),
  budgetUsd: z.number().positive().default(1),
  maxSteps: z.number().int().positive().default(30),
  python: z.string().min(1).default('python3'),
  /** unset: scripts run as long as they need */
  scriptTimeoutSec: z.number().positive().optional(),
  /** environment of scripts: the provider keys never reach them */
  scriptEnv: z
    .strictObject({
      /** more variables scripts must not see */
      exclude: z.array(z.string().min(1)).default([]),
      /** variables scripts see although they would be left out (never a provider key) */
      pass: z.array(z.string().min(1)).default([]),
    })
    .default({ exclude: [], pass: [] }),
  /** where scripts run: on this machine, on a server over SSH, or as SLURM jobs */
  compute: computeSchema.default({ backend: 'local' }),
  /** a reply stream that sends nothing for this long is cancelled, booked and retried */
  requestIdleTimeoutSec: z.number().positive().default(60),
  lifelines: z.number().int().nonnegative().default(5),
  cascade: z
    .strictObject({
      maxFormatRetries: z.number().int().positive().default(3),
      repeatLimit: z.number().int().positive().default(3),
    })
    .default({ maxFormatRetries: 3, repeatLimit: 3 }),
  maxOutputTokens: z
    .strictObject({
      planner: z.number().int().positive().default(2000),
      worker: z.number().int().positive().default(4000),
    })
    .default({ planner: 2000, worker: 4000 }),
  /**
   * How the planner writes its six entries: "text" as headed lines, "json" as one JSON object
   * constrained by a response schema (providers that refuse the schema get text instead)
   */
  responseMode: z.enum(['text', 'json']).default('text'),
  /** extension only: apply edits without review */
  autoApproveEdits: z.boolean().default(false),
  /** extension only: run scripts without asking */
  autoRunScripts: z.boolean().default(false),
});

export type Config = z.infer<typeof configSchema>;

/** The compute settings checked for the backend they name: what is missing, in one line. */
function computeProblem(compute: ComputeSettings): string | undefined {
  if (compute.backend === 'ssh' && !compute.ssh) return 'compute.backend is "ssh" but compute.ssh { host, remoteDir } is not set';
  return undefined;
}

/** Parses a config object; the error names every wrong key. */
export function parseConfig(raw: unknown): Config {
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new ConfigError(`invalid config: ${problems.join('; ')}`);
  }
  const problem = computeProblem(result.data.compute);
  if (problem) throw new ConfigError(`invalid config: ${problem}`);
  return result.data;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
