/**
 * `npm run docs`: the generated pages. Compiles the jsii assembly, then writes the API reference in
 * TypeScript and Python (docs/API.md, docs/API.python.md) and the architecture diagrams read from the
 * synthesized app (docs/architecture.md, and the README's picture). Re-run it after a change to the
 * public API or to what the app synthesizes; the tests say when it is due.
 * `npm run docs -- diagrams` writes the diagrams alone (seconds, no jsii).
 */
import * as fs from 'fs';
import * as path from 'path';
import { API_PAGES, declarationsFingerprint, renderApiReference } from './api-reference';
import { ROOT } from './bundles';
import { architecturePage, README_PICTURE, readmeWithPicture, teamStackByLayer } from './architecture-page';
import { compileAssembly } from './jsii';

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(path.join(ROOT, file)), { recursive: true });
  fs.writeFileSync(path.join(ROOT, file), text);
  console.log(`wrote ${file}`);
}

async function main(): Promise<void> {
  write('docs/architecture.md', architecturePage());
  const readme = path.join(ROOT, 'README.md');
  fs.writeFileSync(readme, readmeWithPicture(fs.readFileSync(readme, 'utf8'), teamStackByLayer()));
  console.log(`wrote README.md (${README_PICTURE})`);
  if (process.argv[2] === 'diagrams') {
    return;
  }
  compileAssembly();
  const fingerprint = declarationsFingerprint();
  for (const [language, file] of Object.entries(API_PAGES)) {
    write(file, await renderApiReference(language, fingerprint));
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
