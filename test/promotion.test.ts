import * as fs from 'fs';
import * as path from 'path';
import { ROOT } from './support/cli';

const read = (file: string) => fs.readFileSync(path.join(ROOT, 'examples', 'promotion', file), 'utf8');

describe('the promotion workflow', () => {
  const promote = read('promote.yml');
  const deploy = read('deploy-stage.yml');

  test('synthesizes once, with every stage\'s account, and keeps the assembly', () => {
    expect(promote.match(/cdk synth/g)).toHaveLength(1);
    expect(promote).toContain('-c stages=all -c promotion=true');
    for (const stage of ['dev', 'staging', 'prod']) {
      expect(promote).toContain(`-c ${stage}.account=`);
    }
    expect(promote).toContain('actions/upload-artifact');
  });

  test('deploys dev, then staging, then prod, each from that assembly', () => {
    const order = ['deploy-dev:\n    needs: build', 'deploy-staging:\n    needs: deploy-dev', 'deploy-prod:\n    needs: deploy-staging'];
    const positions = order.map((job) => promote.indexOf(job));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(deploy).toContain('npx cdk deploy --app cdk.out');
    expect(deploy).not.toContain('cdk synth');
  });

  test('assumes roles through OIDC, behind a GitHub environment, after the stateful guard', () => {
    expect(promote).toContain('id-token: write');
    expect(deploy).toContain('role-to-assume');
    expect(deploy).toContain('environment: ${{ inputs.stage }}');
    expect(deploy.indexOf('bin/stateful-guard.ts')).toBeLessThan(deploy.indexOf('cdk deploy'));
    expect(fs.existsSync(path.join(ROOT, 'bin', 'stateful-guard.ts'))).toBe(true);
  });
});
