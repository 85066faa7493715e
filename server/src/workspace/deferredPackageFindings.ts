// The package rules' findings of each open document, kept between analyses so
// that a keystroke does not wait for them. A keystroke changes one function:
// the file rules answer for it in a few milliseconds, but the package rules
// then re-check whatever depends on it across the package, which costs about
// as much again on every keystroke of a burst whose intermediate texts nobody
// reads. So, while the user types, a document's last package findings are
// carried through the edits (shiftFindings: dropped where an edit touched
// their lines, moved with the lines below it, their fixes dropped), and the
// package rules run once typing pauses for the configured delay, or at once
// when a request needs their exact fixes. With a delay of 0 they run with
// every analysis.
import type { Finding } from '../engine/finding';
import { shiftFindings } from '../engine/shiftFindings';
import type { TextChange } from '../engine/textChange';

/** `current`: the package rules ran on this version; `carried`: those of an earlier version, moved to this one's lines, until the pause. */
export type PackageFindingsState = 'current' | 'carried';

export interface KeptPackageFindings {
  findings: readonly Finding[];
  state: PackageFindingsState;
}

interface Entry extends KeptPackageFindings {
  version: number;
}

export class DeferredPackageFindings {
  private readonly kept = new Map<string, Entry>();
  private readonly pauses = new Map<string, NodeJS.Timeout>();

  /** `due` is called when a document's pause is over: analyze it again (its package rules will run). */
  constructor(private readonly due: (uri: string) => void) {}

  /** The findings to show for this version without running the package rules; undefined when they must run now. */
  reusable(uri: string, version: number): KeptPackageFindings | undefined {
    const entry = this.kept.get(uri);
    return entry?.version === version ? entry : undefined;
  }

  /** What the package rules just gave for this version. */
  computed(uri: string, version: number, findings: readonly Finding[]): void {
    this.stopPause(uri);
    this.kept.set(uri, { version, findings, state: 'current' });
  }

  /**
   * The document changed: its findings move to the new version's lines and the
   * package rules wait until no change has come for `delayMs`. Without kept
   * findings (none computed yet, or forgotten) there is nothing to show
   * meanwhile, so the next analysis runs them.
   */
  changed(uri: string, version: number, changes: readonly TextChange[], delayMs: number): void {
    const entry = this.kept.get(uri);
    if (!entry || delayMs <= 0) {
      this.forget(uri);
      return;
    }
    // A fix's edits may lie anywhere in the file, the edited lines included: carried findings offer none.
    const findings = shiftFindings(entry.findings, changes).map((finding) => (finding.fixes.length > 0 ? { ...finding, fixes: [] } : finding));
    this.kept.set(uri, { version, findings, state: 'carried' });
    this.stopPause(uri);
    const pause = setTimeout(() => this.endPause(uri), delayMs);
    pause.unref();
    this.pauses.set(uri, pause);
  }

  /** Ends the document's pause now, if it is in one (its time is up, or a quick fix was asked for): its package rules are due. */
  endPause(uri: string): void {
    if (!this.pauses.has(uri)) return;
    this.forget(uri);
    this.due(uri);
  }

  /** Whether the document shows carried findings, its package rules waiting for a pause. */
  waiting(uri: string): boolean {
    return this.pauses.has(uri);
  }

  /** Drops a document's findings: its next analysis runs the package rules (another file of its package changed, it closed). */
  forget(uri: string): void {
    this.stopPause(uri);
    this.kept.delete(uri);
  }

  /** Drops every document's findings (the settings changed). */
  forgetAll(): void {
    for (const uri of [...this.kept.keys(), ...this.pauses.keys()]) this.forget(uri);
  }

  private stopPause(uri: string): void {
    clearTimeout(this.pauses.get(uri));
    this.pauses.delete(uri);
  }
}
