// What `go env` says, read once per binary (toolchain facts) and once per
// directory (module facts: GOMOD and GOWORK depend on where you stand). A
// failing `go env` is remembered only until the next call, so fixing the
// installation does not need a restart.
import { runProcess } from './runCompiler';

export interface GoToolchain {
  goPath: string;
  /** e.g. `go1.26.8`. */
  version: string;
  goroot: string;
  /** GOFLAGS from the environment or go.env, e.g. `-buildvcs=false`. */
  goflags: string;
  goos: string;
  goarch: string;
}

export interface GoModuleContext {
  /** Absolute go.mod path; undefined when the directory is in no module (`go env GOMOD` prints /dev/null or NUL). */
  gomod?: string;
  /** Active go.work file, if any. */
  gowork?: string;
}

const toolchains = new Map<string, Promise<GoToolchain>>();
const moduleContexts = new Map<string, Promise<GoModuleContext>>();

async function goEnv(goPath: string, cwd: string, names: string[], env?: NodeJS.ProcessEnv): Promise<Record<string, string>> {
  const result = await runProcess({ command: goPath, args: ['env', '-json', ...names], cwd, env, timeoutMs: 30_000 });
  if (result.exitCode !== 0) {
    throw new Error(`"${goPath} env" failed: ${(result.stderr || result.stdout).trim().split('\n')[0] ?? `exit ${result.exitCode}`}`);
  }
  const parsed: unknown = JSON.parse(result.stdout);
  const values: Record<string, string> = {};
  if (typeof parsed === 'object' && parsed !== null) {
    for (const [key, value] of Object.entries(parsed)) if (typeof value === 'string') values[key] = value;
  }
  return values;
}

function remember<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  const existing = cache.get(key);
  if (existing) return existing;
  const loading = load();
  cache.set(key, loading);
  loading.catch(() => cache.delete(key));
  return loading;
}

/** GOROOT, GOVERSION, GOFLAGS, GOOS, GOARCH of a go binary (cached per binary). */
export function goToolchain(goPath: string, cwd: string = process.cwd(), env?: NodeJS.ProcessEnv): Promise<GoToolchain> {
  return remember(toolchains, goPath, async () => {
    const values = await goEnv(goPath, cwd, ['GOROOT', 'GOVERSION', 'GOFLAGS', 'GOOS', 'GOARCH'], env);
    return {
      goPath,
      version: values.GOVERSION ?? '',
      goroot: values.GOROOT ?? '',
      goflags: values.GOFLAGS ?? '',
      goos: values.GOOS ?? '',
      goarch: values.GOARCH ?? '',
    };
  });
}

/** GOMOD and GOWORK as seen from a directory (cached per binary and directory). */
export function goModuleContext(goPath: string, dir: string, env?: NodeJS.ProcessEnv): Promise<GoModuleContext> {
  return remember(moduleContexts, `${goPath}\u0000${dir}`, async () => {
    const values = await goEnv(goPath, dir, ['GOMOD', 'GOWORK'], env);
    const gomod = values.GOMOD;
    const gowork = values.GOWORK;
    return {
      gomod: gomod && gomod !== '/dev/null' && gomod.toUpperCase() !== 'NUL' ? gomod : undefined,
      gowork: gowork && gowork !== 'off' ? gowork : undefined,
    };
  });
}

/** Forget cached `go env` answers (e.g. after the goPath setting or a go.work changed). */
export function forgetGoEnvironment(): void {
  toolchains.clear();
  moduleContexts.clear();
}
