/**
 * Vitest setup file: each test file's temporary files go in a folder of its own, removed when the
 * file ends. Tests make folders in os.tmpdir() (results, scenarios, certificates) and so do the
 * processes they start, which inherit TMPDIR (Chromium's profiles, a killed run's leftovers): a
 * suite run left about 50 folders behind in /tmp before.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const previous = process.env.TMPDIR;
const root = mkdtempSync(join(tmpdir(), 'feedbench-test-'));
// os.tmpdir() reads TMPDIR on every call. A worker process runs one file at a time (the forks
// pool), and the value is put back after the file, so no other file sees this one's folder.
process.env.TMPDIR = root;

afterAll(() => {
  if (previous === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previous;
  rmSync(root, { recursive: true, force: true });
});
