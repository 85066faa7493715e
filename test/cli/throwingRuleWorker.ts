// A check worker whose rule list has one more rule, which always throws: the
// real worker module serves the requests (it starts itself on import).
import { allRules } from '../../server/src/rules/allRules';
import type { Rule } from '../../server/src/rules/rule';
import '../../server/src/cli/checkWorker';
import { throwingRule } from './throwingRule';

(allRules as Rule[]).push(throwingRule);
