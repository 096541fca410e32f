/**
 * `npm run build`: compiles the library with jsii into `dist/` and its `.jsii` assembly, then
 * bundles the Lambda handlers and the command lines (scripts/bundles.ts).
 * `npm run build -- handlers` bundles the handlers alone, which is all the repository's app and tests need.
 */
import * as fs from 'fs';
import * as path from 'path';
import { buildCommandLines, buildHandlers, ROOT } from './bundles';
import { compileAssembly } from './jsii';

if (process.argv[2] === 'handlers') {
  buildHandlers();
} else {
  fs.rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
  compileAssembly();
  buildHandlers();
  buildCommandLines();
}
