import * as fs from 'fs';
import { VALIDATION_CACHE_ENV } from './validation-cache';

/**
 * Removes the validation reports of this run, unless their folder was given in the environment,
 * and forgets the folder: a process that runs jest again (Stryker's runner does) gets a new one.
 */
export default function globalTeardown(): void {
  if ((globalThis as any).validationCacheMadeHere) {
    fs.rmSync(process.env[VALIDATION_CACHE_ENV]!, { recursive: true, force: true });
    delete process.env[VALIDATION_CACHE_ENV];
    (globalThis as any).validationCacheMadeHere = false;
  }
}
