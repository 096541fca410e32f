import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './support/cli';

describe('the package', () => {
  // inside the repository, so the compiled code finds node_modules
  const outDir = fs.mkdtempSync(path.join(ROOT, '.build-test-'));
  afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

  test('is cdk-data-science, with its entry in the build folder', () => {
    expect(pkg.name).toBe('cdk-data-science');
    expect(pkg.main).toBe('dist/lib/index.js');
    expect(pkg.types).toBe('dist/lib/index.d.ts');
  });

  test('`npm run build` compiles lib, constructs and bin into a folder of its own, loadable as the entry', () => {
    execFileSync(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json', '--outDir', outDir], { cwd: ROOT });
    expect(fs.readdirSync(outDir).sort()).toEqual(['bin', 'constructs', 'lib']);
    expect(fs.existsSync(path.join(outDir, 'lib', 'index.d.ts'))).toBe(true);
    const entry = require(path.join(outDir, 'lib', 'index.js'));
    for (const name of ['DataScienceStack', 'DataWarehouse', 'BatchCompute', 'Workflow', 'WorkflowStep', 'ArtifactStore', 'DataScienceNetwork']) {
      expect(typeof entry[name]).toBe('function');
    }
    // nothing compiled lands beside the sources
    expect(fs.readdirSync(path.join(ROOT, 'lib')).filter((f) => f.endsWith('.js'))).toEqual([]);
  });
});
