/**
 * `npm run build`: compiles the library with jsii into `dist/` and its `.jsii` assembly, then
 * bundles the Lambda handlers and the command lines (scripts/bundles.ts).
 * `npm run build -- handlers` bundles the handlers alone, which is all the repository's app and tests need.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildCommandLines, buildHandlers, ROOT } from './bundles';

function jsii(): void {
  const result = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'jsii'), [
    // the peers' dev versions are the locked ones, not the floors; CI synthesizes against both
    '--silence-warnings', 'metadata/missing-dev-dependency',
  ], {
    cwd: ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      // engines allow Node 20, which jsii no longer supports but still runs on; and no network look-up of jsii's support dates
      JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION: '20',
      JSII_SILENCE_SUPPORT_WARNING: '1',
    },
  });
  if (result.status !== 0) {
    process.exit(result.status ?? 1);
  }
}

if (process.argv[2] === 'handlers') {
  buildHandlers();
} else {
  fs.rmSync(path.join(ROOT, 'dist'), { recursive: true, force: true });
  jsii();
  buildHandlers();
  buildCommandLines();
}
