// Keeps the layering of DESIGN.md true as the code grows: the server never
// imports `vscode`; the engine, rules, parse and compiler stages never import
// LSP types (LSP and the CLI are only renderings of findings).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { repositoryRoot } from '../support/lspClient';

function sourceFiles(directory: string): string[] {
  const found: string[] = [];
  const pending = [directory];
  while (pending.length > 0) {
    const current = pending.pop() as string;
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (entry.name.endsWith('.ts')) found.push(full);
    }
  }
  return found;
}

function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|require\(['"]([^'"]+)['"]\)/g)].map((match) => match[1] ?? match[2]);
}

test('the server never imports vscode', () => {
  const offenders = sourceFiles(path.join(repositoryRoot, 'server/src')).filter((file) => importsOf(file).includes('vscode'));
  assert.deepEqual(offenders, []);
});

test('engine, rules, parse, syntax, compiler, leaks and package model never import LSP packages', () => {
  const stages = ['engine', 'rules', 'parse', 'syntax', 'compiler', 'leaks', 'packageModel'].map((stage) => path.join(repositoryRoot, 'server/src', stage));
  const offenders = stages
    .filter((stage) => fs.existsSync(stage))
    .flatMap(sourceFiles)
    .filter((file) => importsOf(file).some((specifier) => specifier.startsWith('vscode-languageserver')))
    .map((file) => path.relative(repositoryRoot, file));
  assert.deepEqual(offenders, []);
});

test('the client imports no server internals other than the shared protocol module', () => {
  const offenders = sourceFiles(path.join(repositoryRoot, 'client/src'))
    .flatMap((file) => importsOf(file).map((specifier) => ({ file, specifier })))
    .filter(({ specifier }) => specifier.includes('server/src') && !specifier.endsWith('server/src/protocol/customMessages'));
  assert.deepEqual(offenders, []);
});
