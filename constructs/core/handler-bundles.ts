import * as fs from 'fs';
import * as path from 'path';

/** Where `npm run build` bundles each Lambda handler, as `<name>/index.js`, relative to the package root. */
export const HANDLER_BUNDLES = path.join('dist', 'handlers');

/**
 * The package root: the nearest folder with a package.json above this file, whether it runs from its
 * TypeScript source, compiled in `dist/`, or bundled into the app in node_modules/.cache.
 */
export function packageRoot(): string {
  let root = __dirname;
  while (!fs.existsSync(path.join(root, 'package.json')) && path.dirname(root) !== root) {
    root = path.dirname(root);
  }
  return root;
}

/** The folder of a handler's prebuilt bundle. */
export function handlerBundle(name: string): string {
  return path.join(packageRoot(), HANDLER_BUNDLES, name);
}
