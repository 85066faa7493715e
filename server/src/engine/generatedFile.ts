// Go's convention for generated code (https://go.dev/s/generatedcode): a line
// `// Code generated … DO NOT EDIT.` before the package clause. Nobody edits
// such files by hand, so findings in them are noise unless asked for.
const marker = /^\/\/ Code generated .* DO NOT EDIT\.$/;

export function isGeneratedGoFile(text: string): boolean {
  // Only the header matters (asked on every keystroke): read line by line up to the package clause, within the first 64 KiB.
  const limit = Math.min(text.length, 64 * 1024);
  for (let start = 0; start < limit; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 || newline > limit ? limit : newline;
    const line = text.slice(start, end).replace(/\r$/, '');
    if (marker.test(line)) return true;
    if (/^\s*package\s/.test(line)) return false;
    start = end + 1;
  }
  return false;
}
