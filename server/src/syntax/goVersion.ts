// Go versions from go.mod's `go` directive ("1.22", "1.22.3", "1.21rc1"),
// for rules whose verdict changed with a release.

/** True when the module's Go version is known and older than major.minor. Unknown means "current Go". */
export function isGoOlderThan(version: string | undefined, minor: number, major = 1): boolean {
  const match = version ? /^(\d+)\.(\d+)/.exec(version) : null;
  if (!match) return false;
  const [moduleMajor, moduleMinor] = [Number(match[1]), Number(match[2])];
  return moduleMajor < major || (moduleMajor === major && moduleMinor < minor);
}
