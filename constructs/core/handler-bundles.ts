import * as fs from 'fs';
import * as path from 'path';

/** Where `npm run build` bundles each Lambda handler, as `<name>/index.js`, relative to the package root. */
export const HANDLER_BUNDLES = path.join('dist', 'handlers');

/**
 * The folder of a handler's prebuilt bundle. The package root is the nearest folder with a
 * package.json above this file, whether it runs from its TypeScript source or compiled in `dist/`.
 */
export function handlerBundle(name: string): string {
  let root = __dirname;
  while (!fs.existsSync(path.join(root, 'package.json')) && path.dirname(root) !== root) {
    root = path.dirname(root);
  }
  return path.join(root, HANDLER_BUNDLES, name);
}
