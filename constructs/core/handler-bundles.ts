import * as path from 'path';
import { packageRoot } from './package-root';

/** Where `npm run build` bundles each Lambda handler, as `<name>/index.js`, relative to the package root. */
export const HANDLER_BUNDLES = path.join('dist', 'handlers');

/** The folder of a handler's prebuilt bundle. */
export function handlerBundle(name: string): string {
  return path.join(packageRoot(), HANDLER_BUNDLES, name);
}
