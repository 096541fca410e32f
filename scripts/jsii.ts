import { spawnSync } from 'child_process';
import * as path from 'path';
import { ROOT } from './bundles';

/** Compiles `lib/` and `constructs/` with jsii into `dist/` and the `.jsii` assembly; exits as jsii did on failure. */
export function compileAssembly(): void {
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
