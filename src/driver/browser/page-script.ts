import { fileURLToPath } from 'node:url';

let bundled: Promise<string> | undefined;

/** The page's feed client (page/feed-page.ts) bundled for the browser, once per process. */
export function pageScript(): Promise<string> {
  bundled ??= import('esbuild').then(async ({ build }) => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('./page/feed-page.ts', import.meta.url))],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'chrome120',
      write: false,
      logLevel: 'silent',
    });
    return result.outputFiles[0]!.text;
  });
  return bundled;
}
