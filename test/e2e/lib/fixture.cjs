// What the editor tests expect of test/e2e/fixture/main.go, in one place.
// Lines are found by their text, so the fixture can grow without renumbering.
'use strict';
const path = require('node:path');

module.exports = {
  DIR: path.join(__dirname, '..', 'fixture'),
  GO_FILE: 'main.go',
  /** A line every rendering of the file shows once it is open. */
  OPENED_MARKER: 'func firstLine',
  /** [line text, inlay label]: the two defers of firstLine run in reverse order. */
  DEFER_HINTS: [
    ['defer mu.Unlock()', '⟲2'],
    ['defer f.Close()', '⟲1'],
  ],
  /** Hover on this line's `defer` keyword… */
  HOVER_LINE: 'defer mu.Unlock()',
  /** …shows this title and lists these calls (the run-order sequence). */
  HOVER_TITLE: 'Defer execution order',
  HOVER_CALLS: ['mu.Unlock()', 'f.Close()'],
  /** The compiler fact the escape step prefers (newPoint's `p`); any heap escape otherwise. */
  ESCAPE_MESSAGE: 'moved to heap: p',
};
