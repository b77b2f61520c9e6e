/**
 * Resolves when yoga (Ink's layout engine) can be used. From the sources, importing yoga-layout
 * already waited for its WebAssembly, so it is ready at once; the build replaces this module with
 * the real wait (scripts/yoga-ready-plugin.mjs), because the bundle is CommonJS and cannot hold
 * yoga's top-level await.
 */
export const yogaReady: Promise<void> = Promise.resolve();
