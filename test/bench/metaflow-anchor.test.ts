import { spawnSync } from 'child_process';
import * as path from 'path';
import { ROOT } from '../support/cli';

describe('npm run bench:metaflow', () => {
  test('says what is missing, and where to get it, when Metaflow\'s template is not there', () => {
    const missing = path.join(ROOT, 'no-such-folder', 'metaflow-cfn-template.yml');
    const result = spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), [path.join(ROOT, 'bench', 'metaflow-anchor.ts'), missing], {
      cwd: ROOT, encoding: 'utf8', timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`bench:metaflow compares against Metaflow's CloudFormation template, which is not at ${missing}. `
      + 'Put metaflow-cfn-template.yml (aws/cloudformation/ in github.com/outerbounds/metaflow-tools) in ../shared/anchors/ beside '
      + 'the checkout, or give its path: npm run bench:metaflow -- <path to metaflow-cfn-template.yml>\n');
  });
});
