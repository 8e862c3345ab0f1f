import { readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { processAlive } from './alive.ts';

/** How to fork a TypeScript child module: the file and the node flags it needs. */
export interface ChildEntry {
  readonly url: URL;
  readonly execArgv: string[];
}

const tsxLoader = createRequire(import.meta.url).resolve('tsx');
const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/feedbench', import.meta.url));
const built = new Map<string, Promise<ChildEntry>>();

/** Removes bundles left by processes that ended without their exit handler (killed outright). */
function removeOrphanBundles(): void {
  let names: string[];
  try {
    names = readdirSync(CACHE_DIR);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/-(\d+)\.mjs$/.exec(name)?.[1]);
    if (pid && !processAlive(pid)) rmSync(join(CACHE_DIR, name), { force: true });
  }
}

/** The module run through tsx's loader, as written: slower to start, always right. */
const throughTsx = (moduleUrl: URL): ChildEntry => ({
  url: moduleUrl,
  execArgv: ['--import', tsxLoader],
});

/**
 * Bundles a child's TypeScript module into one ES module (esbuild, once per module and process),
 * so a child starts without compiling its sources through tsx: about 0.4 s less per child, and a
 * cell starts a server and one or more drivers. Packages stay external (resolved from
 * node_modules as before), and every `import.meta.url` keeps naming its own source file, so
 * paths made from it (data files, sibling modules) still point where they did.
 */
async function bundle(moduleUrl: URL): Promise<ChildEntry> {
  const { build } = await import('esbuild');
  removeOrphanBundles();
  const source = fileURLToPath(moduleUrl);
  const outfile = join(CACHE_DIR, `${basename(source, '.ts')}-${process.pid}.mjs`);
  await build({
    entryPoints: [source],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'silent',
    plugins: [
      {
        name: 'own-module-urls',
        setup(b) {
          b.onLoad({ filter: /\.ts$/ }, async (args) => ({
            contents: (await readFile(args.path, 'utf8')).replaceAll(
              'import.meta.url',
              JSON.stringify(pathToFileURL(args.path).href),
            ),
            loader: 'ts',
          }));
        },
      },
    ],
  });
  // The bundle is this process's own (named by its pid): gone when it exits; its children loaded it
  // at start.
  process.once('exit', () => rmSync(outfile, { force: true }));
  return { url: pathToFileURL(outfile), execArgv: [] };
}

/**
 * What to fork for a child module. Bundled unless FEEDBENCH_BUNDLE=0, or transports are loaded
 * from paths at run time (FEEDBENCH_TRANSPORTS: TypeScript a bundle cannot import), or bundling
 * failed; then through tsx.
 */
export function childEntry(moduleUrl: URL): Promise<ChildEntry> {
  if (process.env.FEEDBENCH_BUNDLE === '0' || process.env.FEEDBENCH_TRANSPORTS)
    return Promise.resolve(throughTsx(moduleUrl));
  let entry = built.get(moduleUrl.href);
  if (!entry) {
    entry = bundle(moduleUrl).catch(() => throughTsx(moduleUrl));
    built.set(moduleUrl.href, entry);
  }
  return entry;
}
