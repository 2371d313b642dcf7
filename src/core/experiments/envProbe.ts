import { execFile } from 'node:child_process';
import type { PythonEnv } from './types';

const PROBE_TIMEOUT_MS = 30_000;

/**
 * Asks the interpreter, without importing anything, for its version and for each module: the version
 * of the distribution that provides it, "missing" when it cannot be found, nothing for the standard
 * library and for modules of the workspace itself.
 */
const PROBE = `
import importlib.util, importlib.metadata as md, json, os, platform, sys
cwd = os.path.realpath(os.getcwd())
try:
    dists = md.packages_distributions()
except Exception:
    dists = {}
stdlib = getattr(sys, "stdlib_module_names", set(sys.builtin_module_names))
out = {}
for name in json.loads(sys.argv[1]):
    if name in stdlib:
        continue
    try:
        spec = importlib.util.find_spec(name)
    except Exception:
        spec = None
    if spec is None:
        out[name] = "missing"
        continue
    origin = os.path.realpath(spec.origin or (list(spec.submodule_search_locations or [""])[0]))
    if origin.startswith(cwd + os.sep):
        continue
    version = None
    for dist in dists.get(name, [name]):
        try:
            version = md.version(dist)
            break
        except Exception:
            pass
    out[name] = version or "unknown"
print(json.dumps({"python": platform.python_version(), "packages": out}))
`;

/** The interpreter could not be started or did not answer. */
export class InterpreterError extends Error {
  override name = 'InterpreterError';
}

/** Probes an interpreter once per set of new modules; what it said before is kept. */
export class EnvProbe {
  private python: string | undefined;
  private readonly packages = new Map<string, string>();

  constructor(
    private readonly interpreter: string,
    private readonly cwd: string,
  ) {}

  /** Python's version and the versions of `modules` (stdlib and workspace modules left out). */
  async env(modules: readonly string[]): Promise<PythonEnv> {
    const unknown = modules.filter((m) => !this.packages.has(m));
    if (this.python === undefined || unknown.length > 0) await this.probe(unknown);
    const packages: Record<string, string> = {};
    for (const name of modules) {
      const version = this.packages.get(name);
      if (version) packages[name] = version;
    }
    return { python: this.python ?? 'unknown', packages };
  }

  /** The modules of `modules` that the interpreter cannot find. */
  async missing(modules: readonly string[]): Promise<string[]> {
    const { packages } = await this.env(modules);
    return modules.filter((m) => packages[m] === 'missing');
  }

  private async probe(modules: string[]): Promise<void> {
    const answer = await runProbe(this.interpreter, this.cwd, modules);
    this.python = answer.python;
    for (const name of modules) this.packages.set(name, answer.packages[name] ?? '');
  }
}

function runProbe(python: string, cwd: string, modules: string[]): Promise<PythonEnv> {
  return new Promise((resolve, reject) => {
    execFile(
      python,
      ['-c', PROBE, JSON.stringify(modules)],
      { cwd, timeout: PROBE_TIMEOUT_MS, maxBuffer: 1 << 20 },
      (error, stdout, stderr) => {
        if (error) return reject(new InterpreterError(probeFailure(python, error, stderr)));
        try {
          resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as PythonEnv);
        } catch {
          reject(new InterpreterError(`${python} gave no answer about its packages`));
        }
      },
    );
  });
}

function probeFailure(python: string, error: { code?: string | number | null }, stderr: string): string {
  if (error.code === 'ENOENT') return `the Python interpreter ${python} was not found`;
  if (error.code === 'EACCES') return `the Python interpreter ${python} cannot be run (permission denied)`;
  const last = stderr.trim().split('\n').pop();
  return `the Python interpreter ${python} failed to start${last ? `: ${last}` : ''}`;
}
