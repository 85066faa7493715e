// Decides, from the go command's version, how a leak run gets the runtime's
// goroutineleak profile. Go 1.26 has it behind GOEXPERIMENT=goroutineleakprofile;
// from Go 1.27 it is always built in, and naming the experiment makes every
// go command fail ("unknown GOEXPERIMENT goroutineleakprofile"); older Go has
// none, and the harness falls back to a dump of the goroutines still blocked
// after the tests (lower confidence). A version it cannot read gets the
// fallback: a wrong "experiment" would break the run, a wrong "none" only
// lowers the confidence.
import { runProcess } from '../compiler/runCompiler';

export type LeakProfileSupport = 'experiment' | 'builtin' | 'none';

/** The Go minor version of a release (`go1.26.8`, `go1.26rc1`) or development build (`go1.27-devel_…`, `devel go1.24-…`). */
function minorVersion(version: string): number | undefined {
  const match = /(?:^|\s)go1\.(\d+)(?=$|[.\s-]|rc|beta)/.exec(version.trim());
  return match ? Number(match[1]) : undefined;
}

/** From `go env GOVERSION` or `go version` output. */
export function leakProfileSupport(version: string): LeakProfileSupport {
  const minor = minorVersion(version);
  if (minor === undefined || minor < 26) return 'none';
  return minor === 26 ? 'experiment' : 'builtin';
}

/** Asks the go binary, with the toolchain selection a leak run uses (GOTOOLCHAIN=local unless the user set one). */
export async function goLeakProfileSupport(goPath: string, env: NodeJS.ProcessEnv = process.env): Promise<LeakProfileSupport> {
  const result = await runProcess({ command: goPath, args: ['env', 'GOVERSION'], cwd: process.cwd(), env: { ...env, GOTOOLCHAIN: env.GOTOOLCHAIN ?? 'local' }, timeoutMs: 30_000 });
  return result.exitCode === 0 ? leakProfileSupport(result.stdout) : 'none';
}
