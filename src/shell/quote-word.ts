/**
 * Quotes a word so the console's tokenizer reads it back unchanged: single quotes (everything
 * literal) unless it contains one, then double quotes with \" \\ \$ escaped. Plain words stay bare,
 * so generated lines (pane actions, recordings, completion) read the way a person types them.
 */
export function quoteWord(value: string): string {
  if (value !== '' && !/[\s'"\\]|\$\{|^#/.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/["\\$]/g, (c) => `\\${c}`)}"`;
}

/** Joins words into one console line that tokenizes back into exactly these words. */
export function commandLine(words: readonly string[]): string {
  return words.map(quoteWord).join(' ');
}
