// The promises of the README, each broken on purpose by one source mutation
// (see run.mjs). `from` must occur exactly once in `file` (or each of
// `edits`, when a promise is held twice and both holds must go); `tests` are
// substrings of compiled test paths (out/test/…) that must notice the break.
// Ids M… follow the test audit of 2026-12 where it had one.
export const mutations = [
  // Compiler facts carried through edits, never shown on the wrong lines.
  {
    id: 'M6b',
    promise: 'deleting lines moves facts up',
    file: 'server/src/engine/shiftFindings.ts',
    from: 'const delta = lineBreaks(change.text) - (edited.end.line - edited.start.line);',
    to: 'const delta = Math.max(0, lineBreaks(change.text) - (edited.end.line - edited.start.line));',
    tests: ['engine/shiftFindings', 'protocol/escape.protocol'],
  },
  {
    id: 'M6c',
    promise: 'the escape flow (related locations) moves with the fact',
    file: 'server/src/engine/shiftFindings.ts',
    from: 'related.file || related.range.start.line <= edited.end.line ? related :',
    to: 'true ? related :',
    tests: ['engine/shiftFindings', 'protocol/escape.protocol'],
  },
  {
    id: 'M6d',
    promise: 'every change of a didChange batch is applied',
    file: 'server/src/engine/shiftFindings.ts',
    from: 'for (const change of changes) {',
    to: 'for (const change of changes.slice(0, 1)) {',
    tests: ['engine/shiftFindings', 'protocol/escape.protocol'],
  },
  {
    id: 'M6e',
    promise: 'inlay hints of compiler facts move with the text',
    file: 'server/src/engine/shiftFindings.ts',
    from: 'position: shiftPosition(finding.inlay.position, delta)',
    to: 'position: finding.inlay.position',
    tests: ['engine/shiftFindings', 'protocol/escape.protocol'],
  },
  {
    id: 'M6f',
    promise: 'facts on edited lines are dropped',
    file: 'server/src/engine/shiftFindings.ts',
    from: 'if (start.line <= edited.end.line) continue;',
    to: '',
    tests: ['engine/shiftFindings', 'protocol/escape.protocol'],
  },
  {
    id: 'M3',
    promise: 'a run whose text was edited meanwhile is not published',
    file: 'server/src/workspace/compilerSession.ts',
    from: 'if (this.host.currentVersion(document.uri) !== document.version) continue;',
    to: '',
    tests: ['workspace/compilerSession', 'protocol/escape.protocol'],
  },
  {
    id: 'M3b',
    promise: 'stale results are not stored under the current version',
    file: 'server/src/workspace/compilerSession.ts',
    from: 'if (this.host.currentVersion(document.uri) !== document.version) continue;',
    to: `const current = this.host.currentVersion(document.uri);
      if (current !== document.version) {
        const stale = (result.files.get(document.filePath) ?? []).map((fact) => toFinding(fact, positionMapper(document.text)));
        this.factsByUri.set(document.uri, { version: current ?? 0, findings: stale });
        continue;
      }`,
    tests: ['workspace/compilerSession', 'protocol/escape.protocol'],
  },
  // Run modes.
  {
    id: 'M16',
    promise: 'onSave and manual do not compile while typing',
    file: 'server/src/workspace/compilerSession.ts',
    from: "if (this.settings.run !== 'onType') return;",
    to: '',
    tests: ['workspace/compilerSession', 'protocol/settings.protocol'],
  },
  {
    id: 'M17',
    promise: 'manual does not compile on open',
    file: 'server/src/workspace/compilerSession.ts',
    from: "documentOpened(document: CompilerDocument): void {\n    if (this.settings.run !== 'manual')",
    to: 'documentOpened(document: CompilerDocument): void {\n    if (document)',
    tests: ['workspace/compilerSession', 'protocol/settings.protocol'],
  },
  // Settings apply without a restart.
  {
    id: 'M5',
    promise: 'a settings change reconfigures the compiler',
    file: 'server/src/server.ts',
    from: '    reanalyzeAll();\n  });\n\n  connection.onDidChangeWatchedFiles',
    to: '    for (const document of documents?.all() ?? []) analyze(document);\n  });\n\n  connection.onDidChangeWatchedFiles',
    tests: ['protocol/settings.protocol'],
  },
  {
    id: 'M5b',
    promise: 'compiler.timeoutSeconds is applied',
    file: 'server/src/workspace/compilerSession.ts',
    from: 'timeoutMs: this.settings.timeoutSeconds * 1000',
    to: 'timeoutMs: 120_000',
    tests: ['protocol/settings.protocol', 'protocol/robustness.protocol'],
  },
  {
    id: 'M5c',
    promise: 'a new goinsight.goPath is looked up again',
    file: 'server/src/workspace/compilerSession.ts',
    from: '    this.goLookup = undefined;\n',
    to: '',
    tests: ['protocol/settings.protocol'],
  },
  {
    id: 'M11',
    promise: 'goinsight.maxFileSize is applied',
    file: 'server/src/server.ts',
    from: '} else if (text.length > settings.maxFileSize) {',
    to: '} else if (text.length > 2_000_000) {',
    tests: ['protocol/settings.protocol'],
  },
  {
    id: 'M12',
    promise: 'goinsight.enable is applied',
    file: 'server/src/server.ts',
    from: 'if (!settings.enable || (config',
    to: 'if ((config',
    tests: ['protocol/settings.protocol'],
  },
  {
    id: 'M13',
    promise: 'goinsight.analyzeGeneratedFiles is applied by the server',
    file: 'server/src/server.ts',
    from: 'includeGenerated: settings.analyzeGeneratedFiles,',
    to: 'includeGenerated: false,',
    tests: ['protocol/settings.protocol'],
  },
  {
    id: 'M14',
    promise: 'showDoesNotEscape and showClosureCaptures are applied',
    file: 'server/src/workspace/compilerSession.ts',
    from: '.filter((fact) => isShownFact(fact, this.settings))',
    to: '.filter((fact) => isShownFact(fact, { showDoesNotEscape: false, showClosureCaptures: false }))',
    tests: ['protocol/settings.protocol'],
  },
  {
    id: 'M15',
    promise: 'compiler.buildTags is applied by the server',
    file: 'server/src/workspace/compilerSession.ts',
    from: 'const buildFlags = [...this.settings.buildFlags, ...(this.settings.buildTags ? [`-tags=${this.settings.buildTags}`] : [])];',
    to: 'const buildFlags = [...this.settings.buildFlags];',
    tests: ['protocol/settings.protocol'],
  },
  {
    id: 'M15b',
    promise: 'compiler.buildFlags is applied by the server',
    file: 'server/src/workspace/compilerSession.ts',
    from: 'const buildFlags = [...this.settings.buildFlags, ',
    to: 'const buildFlags = [',
    tests: ['protocol/settings.protocol'],
  },
  // Nothing written into the workspace; no toolchain downloads.
  {
    id: 'M7',
    promise: 'the compile writes nothing next to the package',
    file: 'server/src/compiler/escapeAnalysis.ts',
    from: "const remapping = filesWithLineDirectives(packageDir, options.overlay);",
    to: "require('node:fs').writeFileSync(path.join(packageDir, '.goinsight-probe'), '');\n    const remapping = filesWithLineDirectives(packageDir, options.overlay);",
    tests: ['compiler/workspaceUntouched'],
  },
  {
    id: 'M8',
    promise: 'GOFLAGS=-mod=mod cannot rewrite go.mod',
    edits: [
      {
        file: 'server/src/compiler/escapeAnalysis.ts',
        from: "if (/(?:^|\\s)-mod=mod(?:\\s|$)/.test(goflags)) args.push('-mod=readonly');",
        to: '',
      },
      { file: 'server/src/compiler/escapeAnalysis.ts', from: 'GOFLAGS: readOnlyGoFlags(baseEnv.GOFLAGS) };', to: 'GOFLAGS: baseEnv.GOFLAGS };' },
    ],
    tests: ['compiler/workspaceUntouched'],
  },
  {
    id: 'M8b',
    promise: "GOTOOLCHAIN=local whatever the user's environment says",
    file: 'server/src/compiler/escapeAnalysis.ts',
    from: "GOTOOLCHAIN: 'local',",
    to: "GOTOOLCHAIN: baseEnv.GOTOOLCHAIN ?? 'local',",
    tests: ['compiler/workspaceUntouched'],
  },
  {
    id: 'M20',
    promise: 'stale private temp directories are swept at server start',
    file: 'server/src/server.ts',
    from: 'void removeStaleTempDirs().catch(',
    to: 'void Promise.resolve(removeStaleTempDirs).catch(',
    tests: ['protocol/startup.protocol'],
  },
  {
    id: 'M21',
    promise: 'go build and go test -c write their binaries to the null device',
    file: 'server/src/compiler/escapeAnalysis.ts',
    from: "const args = test ? ['test', '-c', '-vet=off', '-o', os.devNull] : ['build', '-o', os.devNull];",
    to: "const args = test ? ['test', '-c', '-vet=off'] : ['build'];",
    tests: ['compiler/workspaceUntouched'],
  },
  // Rules: the fixtures notice a rule that stops reporting, or reports too much.
  {
    id: 'M1',
    promise: 'channel/double-close reports',
    file: 'server/src/rules/channel/doubleClose.ts',
    from: "if (first) report(second, 'twice', first.node, 'firstClose');",
    to: '',
    tests: ['rules/channelPanics'],
  },
  {
    id: 'M2',
    promise: 'channel/double-close reports only the second close',
    file: 'server/src/rules/channel/doubleClose.ts',
    from: "if (first) report(second, 'twice', first.node, 'firstClose');",
    to: "if (first) {\n      report(second, 'twice', first.node, 'firstClose');\n      report(first, 'twice', second.node, 'firstClose');\n    }",
    tests: ['rules/channelPanics'],
  },
  // The want harness checks ranges, not only lines.
  {
    id: 'M2d',
    promise: 'a finding cut short to one character fails its fixture',
    file: 'server/src/rules/ruleContext.ts',
    from: "const range = 'startIndex' in options.at ? this.rangeOf(options.at) : options.at;",
    to: "const range = 'startIndex' in options.at ? this.lines.rangeOf(options.at.startIndex, options.at.startIndex + 1) : options.at;",
    tests: ['rules/channelPanics'],
  },
  {
    id: 'M2e',
    promise: 'a finding on the wrong token of its line fails its fixture',
    file: 'server/src/rules/channel/doubleClose.ts',
    from: '      at: second.node,',
    to: "      at: second.node.childForFieldName('arguments') ?? second.node,",
    tests: ['rules/channelPanics'],
  },
  // Bounded work: the whole process tree goes at a timeout or a cancel.
  {
    id: 'M4',
    promise: 'a timeout or a cancel kills the whole process tree',
    file: 'server/src/compiler/runCompiler.ts',
    from: "process.kill(-pid, 'SIGKILL');",
    to: "process.kill(pid, 'SIGKILL');",
    tests: ['compiler/runCompiler'],
  },
];
