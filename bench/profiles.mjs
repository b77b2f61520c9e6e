// Measures loading a large profile file: the time for N and 4N profiles, and their ratio. Linear
// parsing gives a ratio near 4; anything quadratic shows as a ratio near 16. 4N profiles of this
// shape stay under the loader's size bound (2 MiB) up to N = 2800. It only prints; nothing here
// asserts. Run: node bench/profiles.mjs [N]   (default N = 2500)
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundle } from './bundle.mjs';

const N = Number(process.argv[2] ?? 2500);
const built = await bundle('profiles', "export { loadProfiles } from './src/session/load-profiles.ts';\nexport { ADAPTERS } from './src/adapters/index.ts';\n", { external: true });
const dir = built.dir;
try {
  const { loadProfiles, ADAPTERS } = built.module;

  /** A file of n profiles of the usual shape: flags, an embedded registry and two lock backends. */
  function profileFile(n) {
    const parts = ['defaultProfile: p0\nprofiles:\n'];
    for (let i = 0; i < n; i++) {
      parts.push(`  p${i}:\n    readOnly: ${i % 2 === 0}\n    registry: {type: embedded}\n    locks:\n      - {type: embedded, name: e${i}}\n      - {type: redis, name: r${i}, url: "redis://cache-${i}:6379", db: ${i % 16}}\n`);
    }
    const path = join(dir, `profiles-${n}.yaml`);
    writeFileSync(path, parts.join(''));
    return path;
  }

  async function time(n) {
    const path = profileFile(n);
    const started = performance.now();
    const set = await loadProfiles(path, true, ADAPTERS);
    const ms = performance.now() - started;
    if (set.profiles.size < n) throw new Error(`loaded ${set.profiles.size} profiles of ${n}`);
    return { n, ms, bytes: statSync(path).size };
  }

  await time(Math.max(100, N / 10)); // warm-up: the JIT compiles the hot paths first
  const small = await time(N);
  const large = await time(4 * N);
  for (const r of [small, large]) console.log(`${String(r.n).padStart(7)} profiles  ${(r.bytes / 1e6).toFixed(1).padStart(5)} MB  ${r.ms.toFixed(0).padStart(6)} ms`);
  console.log(`ratio 4N/N: ${(large.ms / small.ms).toFixed(2)} (4 is linear, 16 quadratic)`);
} finally {
  built.dispose();
}
