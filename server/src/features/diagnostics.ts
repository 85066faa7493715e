// Renders findings as LSP diagnostics. Annotations (facts such as the order
// defers run in) are not problems and never appear in the Problems list.
// Diagnostics are plain text: code spans become quoted names.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { Finding, Severity } from '../engine/finding';
import { plainText } from '../engine/plainText';

const lspSeverity: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const diagnosticSource: Record<Finding['source'], string> = { goinsight: 'goinsight', compiler: 'goinsight (compiler)', runtime: 'goinsight (test run)' };

export function toDiagnostics(findings: readonly Finding[], documentUri: string, pathToUri: (file: string) => string): Diagnostic[] {
  return findings
    .filter((finding) => finding.presentation === 'diagnostic')
    .map((finding) => {
      const diagnostic: Diagnostic = {
        range: finding.range,
        severity: lspSeverity[finding.severity],
        code: finding.rule,
        source: diagnosticSource[finding.source],
        // The Problems panel shows plain text.
        message: plainText(finding.message),
        data: { rule: finding.rule },
      };
      if (finding.related.length > 0) {
        diagnostic.relatedInformation = finding.related.map((related) => ({
          location: { uri: related.file ? pathToUri(related.file) : documentUri, range: related.range },
          message: plainText(related.message),
        }));
      }
      return diagnostic;
    });
}
