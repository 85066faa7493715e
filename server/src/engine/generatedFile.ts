// Go's convention for generated code (https://go.dev/s/generatedcode): a line
// `// Code generated … DO NOT EDIT.` before the package clause. Nobody edits
// such files by hand, so findings in them are noise unless asked for.
const marker = /^\/\/ Code generated .* DO NOT EDIT\.$/;

export function isGeneratedGoFile(text: string): boolean {
  // Only the header matters; never scan a huge generated body.
  const header = text.slice(0, 64 * 1024);
  for (const rawLine of header.split('\n')) {
    const line = rawLine.replace(/\r$/, '');
    if (marker.test(line)) return true;
    if (/^\s*package\s/.test(line)) return false;
  }
  return false;
}
