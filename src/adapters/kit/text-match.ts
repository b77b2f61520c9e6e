/**
 * The text filter of a config listing, the same on every key-value backend: contains
 * (case-insensitive), or a whole-key pattern where the text holds `*` (as Nacos' blur search).
 */
export function textMatcher(text: string | undefined): (key: string) => boolean {
  if (text === undefined || text === '') return () => true;
  if (!text.includes('*')) {
    const needle = text.toLowerCase();
    return (k) => k.toLowerCase().includes(needle);
  }
  const re = new RegExp(`^${text.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return (k) => re.test(k);
}
