import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArguments, UsageError } from '../../server/src/cli/arguments';

test('check: flags with separate or inline values, PATHs, defaults, and the locale from the environment', () => {
  assert.deepEqual(parseArguments(['check', '--format=json', 'a/...', '--rules', 'x/y, z/w', '--fail-on', 'warning', 'b.go', '--go=/opt/go/bin/go'], {}), {
    command: 'check',
    paths: ['a/...', 'b.go'],
    format: 'json',
    rules: new Set(['x/y', 'z/w']),
    noCompiler: false,
    includeGenerated: false,
    failOn: 'warning',
    locale: 'en',
    goPath: '/opt/go/bin/go',
  });
  const defaults = parseArguments(['check', '--no-compiler', '--include-generated'], { LANG: 'zh_CN.UTF-8' });
  assert.equal(defaults.command, 'check');
  if (defaults.command !== 'check') return;
  assert.deepEqual(defaults.paths, ['./...']);
  assert.equal(defaults.locale, 'zh-cn');
  assert.equal(defaults.noCompiler, true);
  assert.equal(defaults.includeGenerated, true);
  assert.deepEqual(parseArguments(['check', 'x', '--help'], {}), { command: 'help' });
  // --jobs is left unset unless given (one thread per CPU), and is a whole number of at least 1.
  assert.equal(defaults.jobs, undefined);
  const jobs = parseArguments(['check', '--jobs', '3'], {});
  assert.equal(jobs.command === 'check' && jobs.jobs, 3);
  const inline = parseArguments(['check', '--jobs=1'], {});
  assert.equal(inline.command === 'check' && inline.jobs, 1);
});

test('escapes: --stdin takes no PATH; --all and --go', () => {
  assert.deepEqual(parseArguments(['escapes', '--stdin', '--format', 'json'], {}), {
    command: 'escapes',
    paths: ['./...'],
    format: 'json',
    stdin: true,
    all: false,
    failOnNew: false,
    locale: 'en',
  });
  assert.deepEqual(parseArguments(['escapes', 'pkg', '--all', '--go', '/usr/bin/go'], {}), {
    command: 'escapes',
    paths: ['pkg'],
    format: 'text',
    stdin: false,
    all: true,
    goPath: '/usr/bin/go',
    failOnNew: false,
    locale: 'en',
  });
  assert.throws(() => parseArguments(['escapes', '--stdin', 'pkg'], {}), /--stdin reads compiler output; it takes no PATH/);
  assert.throws(() => parseArguments(['escapes', '--format', 'sarif'], {}), /--format sarif needs --since REF/);
});

test('escapes --since: its flags, and what does not go with it', () => {
  assert.deepEqual(parseArguments(['escapes', './...', '--since', 'main...', '--fail-on-new', '--format=sarif', '--tags', 'a,b'], { LANG: 'zh_CN.UTF-8' }), {
    command: 'escapes',
    paths: ['./...'],
    format: 'sarif',
    stdin: false,
    all: false,
    failOnNew: true,
    since: 'main...',
    tags: 'a,b',
    locale: 'zh-cn',
  });
  assert.throws(() => parseArguments(['escapes', '--fail-on-new'], {}), /--fail-on-new needs --since REF/);
  assert.throws(() => parseArguments(['escapes', '--since'], {}), /--since needs a git revision/);
  assert.throws(() => parseArguments(['escapes', '--since', 'HEAD', '--all'], {}), /--all does not go with --since/);
  assert.throws(() => parseArguments(['escapes', '--stdin', '--since', 'HEAD'], {}), /--since and --tags need the compiler/);
  assert.throws(() => parseArguments(['escapes', '--tags', '--since'], {}), /--tags needs a comma-separated list/);
});

test('usage errors are UsageErrors with one-line messages', () => {
  for (const argv of [['check', '--jobs', '0'], ['check', '--jobs', 'two'], ['check', '--jobs'], ['check', '--fail-on'], ['check', '--lang', 'fr'], ['check', '--go', '--no-compiler'], ['check', '--bogus=1'], ['lint']]) {
    assert.throws(
      () => parseArguments(argv, {}),
      (error: unknown) => error instanceof UsageError && !error.message.includes('\n'),
      argv.join(' '),
    );
  }
});
