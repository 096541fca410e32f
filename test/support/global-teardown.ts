import * as fs from 'fs';
import { VALIDATION_CACHE_ENV } from './validation-cache';

/** Removes the validation reports of this run, unless their folder was given in the environment. */
export default function globalTeardown(): void {
  if ((globalThis as any).validationCacheMadeHere) {
    fs.rmSync(process.env[VALIDATION_CACHE_ENV]!, { recursive: true, force: true });
  }
}
