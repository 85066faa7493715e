// The compiler engine's public surface: what the language server and the CLI
// import. Everything else in this folder is an implementation detail.
export { findGo, type FindGoOptions, type FindGoResult, type GoFound, type GoNotFound, type TriedLocation } from './findGo';
export {
  runEscapeAnalysis,
  allFacts,
  defaultGcflags,
  type EscapeAnalysisOptions,
  type PackageEscapeResult,
  type BuildFailure,
} from './escapeAnalysis';
export { EscapeAnalyzer, type EscapeAnalyzerOptions, type AnalyzeRequest, type AnalyzedPackage } from './escapeAnalyzer';
export { parseCompilerText, type ParsedCompilerText, type ParseTextOptions } from './parseCompilerText';
export { toFinding, positionMapper, kindPresentation, type ToFindingOptions } from './factToFinding';
export { PackageCache, packageContentKey } from './packageCache';
export { isAbortError, removeStaleTempDirs, CompilerTimeoutError, CompilerAbortedError } from './runCompiler';
export { readableShapes } from './compilerMessages';
export * from './escapeFacts';
