// Answers of a recursive per-function computation (what a function locks or
// reaches through the package's calls), kept across versions of a package
// and reused only where computing afresh would give the very same answer.
//
// Computed afresh, such an answer depends on more than the function's text:
// a call back into a function still being computed, or a chain deeper than
// the bound, is cut (answers `cut`), and which calls are cut depends on the
// order in which the rules ask. So a kept answer is not trusted by the
// functions it came from: each answer records the requests it made (callee,
// answer received), in order. In a new version, a kept answer is reused when
// its function is unchanged, no callee it asked for was replaced, and asking
// its callees again, in the same order and from the same depth, gives the
// very same answers (by identity); that is what computing it again would
// read, so it would compute the same. Any difference, and it is computed
// again. What is checked per version is the chain of requests, not their
// resolution and binding, which is what the computation costs.
import type { PackageFunction } from './goPackage';

interface Request<V> {
  fn: PackageFunction;
  answer: V;
}

interface Recorded<V, A = V> {
  answer: A;
  requests: Request<V>[];
}

export class ReplayedAnswers<V> {
  /** Weak: a replaced function's answer goes with it. */
  private kept = new WeakMap<PackageFunction, Recorded<V>>();
  /** Top-level answers (asked with nothing in progress, of any type), per slot by the caller's key (a call event, a function). */
  private keptTopLevel = new Map<string, WeakMap<object, Recorded<V, unknown> & { fn: PackageFunction }>>();
  /** The answers of the current version: asked again, they are not checked again (as a fresh memo would not compute them again). */
  private current = new Map<PackageFunction, V>();
  private readonly inProgress = new Set<PackageFunction>();
  /** The requests of the answers being worked out, innermost last. */
  private readonly frames: Request<V>[][] = [];
  /** Functions replaced since these answers began: a kept answer that asked one of them is computed again. */
  private gone = new WeakSet<PackageFunction>();
  /** How many answers were computed (not reused): what tests observe. */
  computed = 0;

  constructor(
    /** What a request answers when it is cut (recursion, depth): one object, so that replaying compares it by identity. */
    private readonly cut: V,
    private readonly maxDepth: number,
  ) {}

  /**
   * Starts a new version of the package: `replaced` are the functions whose
   * bodies changed since the last one, or undefined when the package was
   * indexed anew (every function is a new object): then nothing is kept.
   */
  newVersion(replaced: readonly PackageFunction[] | undefined): void {
    this.current = new Map();
    if (replaced) {
      for (const fn of replaced) this.gone.add(fn);
      return;
    }
    this.kept = new WeakMap();
    this.keptTopLevel = new Map();
    this.gone = new WeakSet();
  }

  /** The answer for `fn`, as `compute` would give it in this version; `compute` asks for its callees' through `request`. */
  request(fn: PackageFunction, compute: (fn: PackageFunction) => V): V {
    const answer = this.answer(fn, compute);
    this.frames[this.frames.length - 1]?.push({ fn, answer });
    return answer;
  }

  /**
   * An answer about `fn` computed from its callees' answers with nothing in
   * progress (a rule's own question), kept in `slot` under `key`.
   */
  topLevel<T>(slot: string, key: object, fn: PackageFunction, compute: () => T, computeCallee: (fn: PackageFunction) => V): T {
    if (this.frames.length > 0) throw new Error('a top-level answer asked while another is worked out');
    let kept = this.keptTopLevel.get(slot);
    if (!kept) {
      kept = new WeakMap();
      this.keptTopLevel.set(slot, kept);
    }
    const known = kept.get(key);
    // Asked nothing (most functions take no lock under another): nothing to replay.
    if (known?.fn === fn && known.requests.length === 0) return known.answer as T;
    const frame: Request<V>[] = [];
    this.frames.push(frame);
    try {
      if (known?.fn === fn && this.replays(known, computeCallee)) return known.answer as T;
      frame.length = 0;
      this.computed++;
      const answer = compute();
      kept.set(key, { fn, answer, requests: frame });
      return answer;
    } finally {
      this.frames.pop();
    }
  }

  private answer(fn: PackageFunction, compute: (fn: PackageFunction) => V): V {
    const known = this.current.get(fn);
    if (known !== undefined) return known;
    if (this.inProgress.has(fn) || this.inProgress.size >= this.maxDepth) return this.cut;
    this.inProgress.add(fn);
    const frame: Request<V>[] = [];
    this.frames.push(frame);
    let answer: V;
    try {
      const recorded = this.kept.get(fn);
      if (recorded && this.replays(recorded, compute)) {
        answer = recorded.answer;
      } else {
        // What the replay asked is answered for this version: asked again below, it costs nothing and answers the same.
        frame.length = 0;
        this.computed++;
        answer = compute(fn);
        this.kept.set(fn, { answer, requests: frame });
      }
    } finally {
      this.frames.pop();
      this.inProgress.delete(fn);
    }
    this.current.set(fn, answer);
    return answer;
  }

  /** Whether asking the recorded requests again, in order, gives the same answers. Stops at the first that differs. */
  private replays(recorded: Recorded<V, unknown>, compute: (fn: PackageFunction) => V): boolean {
    for (const { fn, answer } of recorded.requests) {
      if (this.gone.has(fn) || this.request(fn, compute) !== answer) return false;
    }
    return true;
  }
}
