// Bundles the client, the server and the CLI with esbuild into dist/, and
// copies the tree-sitter runtime and Go grammar .wasm files next to them
// (the server loads them by __dirname, also from inside the .vsix).
import { build } from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });

// web-tree-sitter's ESM build needs import.meta.url, which a CommonJS bundle
// lacks; resolve it the way Node's require() would, to its .cjs build.
const webTreeSitterAsCommonJs = {
  name: 'web-tree-sitter-cjs',
  setup(context) {
    context.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
  },
};

const common = {
  plugins: [webTreeSitterAsCommonJs],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' }),
  build({ ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } }),
]);
chmodSync('dist/cli.js', 0o755);

copyFileSync(require.resolve('web-tree-sitter/tree-sitter.wasm'), 'dist/tree-sitter.wasm');
copyFileSync(require.resolve('tree-sitter-go/tree-sitter-go.wasm'), 'dist/tree-sitter-go.wasm');
