// Loads web-tree-sitter and the Go grammar once per process. The .wasm files
// sit next to the bundle in dist/ (and in the .vsix); from compiled tests and
// sources they are resolved from node_modules instead.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

const runtimeWasm = 'tree-sitter.wasm';
const goGrammarWasm = 'tree-sitter-go.wasm';

let loading: Promise<Language> | undefined;

function wasmPath(fileName: string): string {
  const besideBundle = path.join(__dirname, fileName);
  if (fs.existsSync(besideBundle)) return besideBundle;
  const packageName = fileName === runtimeWasm ? 'web-tree-sitter' : 'tree-sitter-go';
  return require.resolve(`${packageName}/${fileName}`);
}

/** The Go grammar, loaded once; every later call shares the same promise. */
export function loadGoLanguage(): Promise<Language> {
  loading ??= (async () => {
    await Parser.init({ locateFile: (name: string) => wasmPath(name) });
    return Language.load(fs.readFileSync(wasmPath(goGrammarWasm)));
  })();
  return loading;
}

/** A parser set to Go. Parsers are cheap; the language is shared. */
export async function createGoParser(): Promise<Parser> {
  const language = await loadGoLanguage();
  const parser = new Parser();
  parser.setLanguage(language);
  return parser;
}
