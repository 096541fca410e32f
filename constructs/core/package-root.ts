import * as fs from 'fs';
import * as path from 'path';

let root: string | undefined;

/**
 * The package root: the nearest folder with a package.json above this file, whether it runs from its
 * TypeScript source, compiled in `dist/`, or bundled into the app in the repository's `.cache/`.
 */
export function packageRoot(): string {
  if (root === undefined) {
    root = __dirname;
    while (!fs.existsSync(path.join(root, 'package.json')) && path.dirname(root) !== root) {
      root = path.dirname(root);
    }
  }
  return root;
}
