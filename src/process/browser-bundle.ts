import { fileURLToPath } from 'node:url';
import { required } from '../metrics/required.ts';

const bundles = new Map<string, Promise<string>>();

/**
 * A TypeScript module bundled for a browser page (esbuild, one IIFE with its imports), once per
 * module and process: the driver's page client and the demo's page script are both made so.
 */
export function browserBundle(moduleUrl: URL): Promise<string> {
  const source = fileURLToPath(moduleUrl);
  let bundled = bundles.get(source);
  if (!bundled) {
    bundled = import('esbuild').then(async ({ build }) => {
      const result = await build({
        entryPoints: [source],
        bundle: true,
        format: 'iife',
        platform: 'browser',
        target: 'chrome120',
        write: false,
        logLevel: 'silent',
      });
      return required(result.outputFiles[0], `esbuild's bundle of ${source}`).text;
    });
    bundles.set(source, bundled);
  }
  return bundled;
}
