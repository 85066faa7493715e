// The sync rules on their fixtures, and the lock-without-unlock quick fix
// applied to real code and re-parsed.
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeFixture, checkFixture } from '../support/analysisTest';
import { applyFix, parseErrors } from '../support/applyFix';

for (const rule of ['double-lock', 'empty-critical-section', 'lock-without-unlock']) {
  test(`sync/${rule}: positive and negative fixtures`, async () => {
    await checkFixture(`rules/sync/${rule}/positive.go`, [`sync/${rule}`]);
    await checkFixture(`rules/sync/${rule}/negative.go`, [`sync/${rule}`]);
  });
}

function functionText(text: string, header: string): string {
  const start = text.indexOf(header);
  assert.ok(start >= 0, `no ${header}`);
  return text.slice(start, text.indexOf('\n}\n', start) + 2);
}

test('sync/lock-without-unlock: fix defers the unlock and removes the explicit ones', async () => {
  const rule = 'sync/lock-without-unlock';
  const { findings, text } = await analyzeFixture('rules/sync/lock-without-unlock/positive.go', { onlyRules: new Set([rule]) });
  const byFunction = (header: string) => {
    const start = text.indexOf(header);
    const line = text.slice(0, start).split('\n').length - 1;
    const end = line + functionText(text, header).split('\n').length;
    const found = findings.find((finding) => finding.range.start.line > line && finding.range.start.line < end);
    assert.ok(found, `no finding in ${header}`);
    return found;
  };

  const get = byFunction('func (c *cache) get(');
  assert.deepEqual(get.fixes.map((fix) => [fix.title, fix.isPreferred]), [['Unlock with defer c.mu.Unlock() right after the lock', true]]);
  const fixedGet = applyFix(text, get.fixes[0]);
  assert.deepEqual(await parseErrors(fixedGet), []);
  assert.equal(
    functionText(fixedGet, 'func (c *cache) get('),
    [
      'func (c *cache) get(k string) (int, error) {',
      '\tc.mu.Lock()',
      '\tdefer c.mu.Unlock()',
      '\tv, ok := c.items[k]',
      '\tif !ok {',
      '\t\treturn 0, errMissing // want "this return leaves c.mu locked \\\\(.c.mu.Lock... on line 17, no .c.mu.Unlock... on this path\\\\)"',
      '\t}',
      '\treturn v, nil',
      '}',
    ].join('\n'),
  );

  const put = byFunction('func (c *cache) put(');
  const fixedPut = applyFix(text, put.fixes[0]);
  assert.deepEqual(await parseErrors(fixedPut), []);
  assert.equal(
    functionText(fixedPut, 'func (c *cache) put('),
    [
      'func (c *cache) put(k string, v int) error {',
      '\tc.mu.Lock()',
      '\tdefer c.mu.Unlock()',
      '\tif k == "" {',
      '\t\treturn errMissing',
      '\t}',
      '\tif v < 0 {',
      '\t\treturn errors.New("negative") // want "this return leaves c.mu locked"',
      '\t}',
      '\tc.items[k] = v',
      '\treturn nil',
      '}',
    ].join('\n'),
  );

  const size = byFunction('func (c *cache) size(');
  assert.equal(size.fixes[0].title, 'Unlock with defer c.rw.RUnlock() right after the lock');
  assert.match(functionText(applyFix(text, size.fixes[0]), 'func (c *cache) size('), /\tc\.rw\.RLock\(\)\n\tdefer c\.rw\.RUnlock\(\)\n\tn := len/);

  // notify(k) after the unlock would move under the lock: no fix.
  assert.deepEqual(byFunction('func (c *cache) update(').fixes, []);
});
