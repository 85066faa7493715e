// What to do when the language server process dies: restart it, telling the
// user only the first time; after too many crashes in a short time, stop and
// say so once (a crash loop would otherwise eat a core and spam the window).
// Pure (no `vscode` import) so it can be unit-tested.

export type CrashDecision = 'restart-and-tell' | 'restart' | 'give-up';

export class CrashPolicy {
  private crashes: number[] = [];
  private told = false;

  constructor(
    private readonly maxCrashes = 5,
    private readonly windowMs = 3 * 60 * 1000,
  ) {}

  /** Called when the server's connection closed unexpectedly. */
  onCrash(now: number): CrashDecision {
    this.crashes = this.crashes.filter((time) => now - time < this.windowMs);
    this.crashes.push(now);
    if (this.crashes.length >= this.maxCrashes) return 'give-up';
    if (this.told) return 'restart';
    this.told = true;
    return 'restart-and-tell';
  }

  /** After a manual restart, the count starts again. */
  reset(): void {
    this.crashes = [];
  }
}
