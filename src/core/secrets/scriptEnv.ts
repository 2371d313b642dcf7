/** The settings that shape a script's environment (a `Config` is one). */
export interface ScriptEnvConfig {
  providers: Readonly<Record<string, { apiKeyEnv: string }>>;
  scriptEnv: { exclude: readonly string[]; pass: readonly string[] };
}

/** Provider key variables scripts never see, whatever the config names. */
export const WELL_KNOWN_KEY_VARIABLES: readonly string[] = [
  'OPENAI_API_KEY',
  'GEMINI_API_KEY',
  'GOOGLE_API_KEY',
  'ANTHROPIC_API_KEY',
  'AZURE_OPENAI_API_KEY',
  'OPENROUTER_API_KEY',
  'MISTRAL_API_KEY',
  'GROQ_API_KEY',
  'DEEPSEEK_API_KEY',
  'TOGETHER_API_KEY',
  'COHERE_API_KEY',
  'XAI_API_KEY',
];

/** Secrets shorter than this are ordinary words, not keys: a variable holding one is kept. */
const MIN_SECRET_LENGTH = 8;

/**
 * The whole environment a script runs with: `base` without the providers' key variables (the
 * config's and the well-known ones), without `scriptEnv.exclude` and without any variable whose
 * value holds a known key; `scriptEnv.pass` brings a variable back unless it holds a key.
 * Output is never buffered, so it arrives while the script runs.
 */
export function scriptEnvironment(
  base: NodeJS.ProcessEnv,
  config: ScriptEnvConfig,
  secrets: readonly (string | undefined)[],
): Record<string, string> {
  const keys = new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH));
  const left = new Set([
    ...WELL_KNOWN_KEY_VARIABLES,
    ...Object.values(config.providers).map((p) => p.apiKeyEnv),
    ...config.scriptEnv.exclude,
  ]);
  const passed = new Set(config.scriptEnv.pass);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined || [...keys].some((key) => value.includes(key))) continue;
    if (left.has(name) && !passed.has(name)) continue;
    env[name] = value;
  }
  env.PYTHONUNBUFFERED = '1';
  return env;
}
