// The official SARIF 2.1.0 schema (shipped in @microsoft/jest-sarif) as a
// validator, for every test that checks SARIF output.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import { repositoryRoot } from './lspClient';

const schemaFile = path.join(repositoryRoot, 'node_modules', '@microsoft', 'jest-sarif', 'lib', 'schemas', 'sarif-2.1.0-rtm.5.json');

export function sarifValidator() {
  // The schema's `language` pattern is only a valid regular expression without the u flag.
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  // The schema uses these formats; check them for real rather than ignoring them.
  ajv.addFormat('uri', (value: string) => /^[a-z][a-z0-9+.-]*:[^\s]*$/i.test(value));
  ajv.addFormat('uri-reference', (value: string) => !/\s/.test(value));
  ajv.addFormat('date-time', (value: string) => !Number.isNaN(Date.parse(value)));
  return ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')) as object);
}
