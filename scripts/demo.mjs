// `npm run demo`: runs the bundled goinsight CLI on the example module and
// shows what it finds. Findings make the CLI exit 1 (that is its job in CI);
// for the demo only a setup error (exit 2) is a failure.
import { spawnSync } from 'node:child_process';

console.log('$ goinsight check examples/...\n');
const result = spawnSync(process.execPath, ['dist/cli.js', 'check', 'examples/...'], { stdio: 'inherit' });
process.exit(result.status === 0 || result.status === 1 ? 0 : (result.status ?? 2));
