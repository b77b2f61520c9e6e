/** Quotes a word for a console line so that the tokenizer reads it back unchanged. */
export function quoteWord(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'"'"'`)}'`;
}

export function commandLine(words: readonly string[]): string {
  return words.map(quoteWord).join(' ');
}
