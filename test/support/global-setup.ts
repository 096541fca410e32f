import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildHandlers } from '../../scripts/bundles';
import { VALIDATION_CACHE_ENV } from './validation-cache';

/**
 * The constructs deploy the handlers' prebuilt bundles: build them from today's source first (esbuild, milliseconds).
 * Then a fresh folder for this run's validation reports, which the test workers (and the apps they
 * spawn) inherit through the environment; a folder given there already is kept for the next run.
 */
export default function globalSetup(): void {
  buildHandlers();
  if (!process.env[VALIDATION_CACHE_ENV]) {
    process.env[VALIDATION_CACHE_ENV] = fs.mkdtempSync(path.join(os.tmpdir(), 'validation-cache-'));
    (globalThis as any).validationCacheMadeHere = true;
  }
}
