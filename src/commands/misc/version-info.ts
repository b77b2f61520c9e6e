/** What `opsdeck version` reports; its own module so main.ts can answer it without the command table. */
export function versionInfo(version: string): { version: string; node: string; platform: string } {
  return { version, node: process.version, platform: `${process.platform}-${process.arch}` };
}
