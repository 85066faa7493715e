// `npm run docs`: writes docs/rules.md and docs/rules.zh-cn.md from the rule
// modules (compiled to out/ by `npm run compile-tests`).
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { renderRuleDocs, ruleDocFiles } = require('../out/server/src/docs/ruleDocs.js');
for (const [locale, file] of Object.entries(ruleDocFiles)) {
  writeFileSync(file, renderRuleDocs(locale));
  console.log(`wrote ${file}`);
}
