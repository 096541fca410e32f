import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnParameter, Stack, Validations } from 'aws-cdk-lib';
import * as athena from 'aws-cdk-lib/aws-athena';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledgeControlTower, CONTROL_TOWER_PLUGIN } from '../../constructs/core/compliance';
import { controlTowerRules, ControlTowerChecks, guard, GuardResult, notCompliant, readTemplates, typesOf } from './control-tower';
import { expectNoFindings, newTestApp, synthExample, synthFindings, synthValidation } from './synth';

describe('the synth harness', () => {
  test('reports cdk-nag findings with their rule and construct path', () => {
    const app = newTestApp();
    new s3.Bucket(new Stack(app, 'Plain'), 'Bucket');
    const findings = synthFindings(app);
    const rules = findings.map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
    expect(findings.find((f) => f.rule === 'AwsSolutions-S1')?.paths).toEqual(['Plain/Bucket/Resource']);
  });

  test('an acknowledgement on the construct removes exactly that finding', () => {
    const app = newTestApp();
    const bucket = new s3.Bucket(new Stack(app, 'Plain'), 'Bucket');
    Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason: 'test' });
    const rules = synthFindings(app).map((f) => f.rule);
    expect(rules).not.toContain('AwsSolutions-S1');
    expect(rules).toContain('AwsSolutions-S10');
  });

  test('reports CloudFormation rule violations', () => {
    const app = newTestApp();
    const bucket = new s3.Bucket(new Stack(app, 'Broken'), 'Bucket');
    (bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride('NotAProperty', true);
    const finding = synthFindings(app).find((f) => f.plugin === 'CloudFormation Validate');
    expect(finding).toMatchObject({ severity: 'error', paths: ['Broken/Bucket/Resource'] });
  });

  test('runs the NIST 800-53 rev 5 and HIPAA packs when regulated', () => {
    const app = newTestApp();
    new s3.Bucket(new Stack(app, 'Plain'), 'Bucket');
    const plugins = new Set(synthFindings(app, { regulated: true }).map((f) => f.plugin));
    expect([...plugins]).toEqual(expect.arrayContaining(['NIST.800.53.R5', 'HIPAA.Security']));
  });
});

describe('the harness\'s Control Tower controls', () => {
  const withControls = { controlTower: true };
  /** A repository whose tags are mutable fails CT.ECR.PR.3, on nothing but the repository. */
  const mutableRepository = (stack: Stack) => new ecr.Repository(stack, 'Images', { imageTagMutability: ecr.TagMutability.MUTABLE });

  test('report each failed control by its rule, on its construct, with the control in the description', () => {
    const app = newTestApp();
    mutableRepository(new Stack(app, 'Plain'));
    const finding = synthFindings(app, withControls).find((f) => f.rule === 'ecr_private_tag_immutability_enabled_check');
    expect(finding).toMatchObject({ plugin: CONTROL_TOWER_PLUGIN, paths: ['Plain/Images/Resource'] });
    expect(finding?.description).toMatch(/^\[CT\.ECR\.PR\.3\]/);
  });

  test('an acknowledgement of one control on its construct removes that control there, with its reason', () => {
    const app = newTestApp();
    const stack = new Stack(app, 'Plain');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
    mutableRepository(stack);
    acknowledgeControlTower(vpc, 'CT.EC2.PR.11', 'a test reason');
    const validation = synthValidation(app, withControls);
    const rules = validation.findings.filter((f) => f.plugin === CONTROL_TOWER_PLUGIN).map((f) => f.rule);
    expect(rules).not.toContain('subnet_auto_assign_public_ip_disabled_check');
    expect(rules).toContain('ecr_private_tag_immutability_enabled_check');
    expect(validation.acknowledged).toEqual([expect.objectContaining({
      rule: 'subnet_auto_assign_public_ip_disabled_check', paths: ['Plain/Vpc/publicSubnet1/Subnet'], reason: 'a test reason',
    })]);
  });

  test('a finding acknowledged without a reason that says why fails the check, named with what it was given', () => {
    const stackWith = (reason: string) => {
      const app = newTestApp();
      const stack = new Stack(app, 'Plain');
      const bucket = new s3.Bucket(stack, 'Bucket', { enforceSSL: true });
      Validations.of(bucket).acknowledge({ id: 'AwsSolutions-S1', reason });
      return app;
    };
    expect(() => expectNoFindings(stackWith('no logs'))).toThrow(/^\d+ finding\(s\) unacknowledged or acknowledged without a reason:\n(.*\n)*\S*AwsSolutions-S1 at Plain\/Bucket is acknowledged with the reason "no logs": say why it does not apply/);
    // whole sentences: a piece of a joined reason lost leaves it starting mid-sentence, or ending without its full stop
    for (const reason of ['access logs of this bucket go nowhere in a test.', 'Access logs of this bucket go nowhere in a test', 'Access logs of this bucket  go nowhere.']) {
      expect(() => expectNoFindings(stackWith(reason))).toThrow(`AwsSolutions-S1 at Plain/Bucket is acknowledged with the reason "${reason}": say why it does not apply, in whole sentences`);
    }
    expect(() => expectNoFindings(stackWith('Access logs of this bucket go nowhere in a test.'))).not.toThrow(/AwsSolutions-S1/);
    expect(() => expectNoFindings(stackWith('s3:GetObject is all this bucket serves, in a test.'))).not.toThrow(/AwsSolutions-S1/);
  });

  test('a control the plugin cannot read is read from Guard\'s output and hides no other', () => {
    const app = newTestApp();
    const stack = new Stack(app, 'Plain');
    // a key ARN from a parameter is a Ref the plugin's reader of CT.ATHENA.PR.2 throws on
    const keyArn = new CfnParameter(stack, 'KeyArn', { type: 'String' }).valueAsString;
    new athena.CfnWorkGroup(stack, 'WorkGroup', {
      name: 'queries',
      workGroupConfiguration: { resultConfiguration: { encryptionConfiguration: { encryptionOption: 'SSE_KMS', kmsKey: keyArn } } },
    });
    mutableRepository(stack);
    const validation = synthValidation(app, withControls);
    expect(validation.unreadableControls).toEqual(['CT.ATHENA.PR.2']);
    const paths = (rule: string) => validation.findings.find((f) => f.rule === rule)?.paths;
    expect(paths('athena_workgroup_results_encrypted_at_rest_kms_check')).toEqual(['Plain/WorkGroup']);
    expect(paths('ecr_private_tag_immutability_enabled_check')).toEqual(['Plain/Images/Resource']);
  });

  test('a control Guard cannot evaluate is a finding of its own, and the others still run', () => {
    const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'guard-')), 'ct-broken-pr-1.guard');
    fs.writeFileSync(broken, 'rule broken_check {\n  Resources.*[ Type == \n}\n');
    const ecrRule = controlTowerRules().find((r) => r.control === 'CT.ECR.PR.3')!;
    const app = newTestApp();
    mutableRepository(new Stack(app, 'Plain'));
    Validations.of(app).addPlugins(new ControlTowerChecks([ecrRule, { control: 'CT.BROKEN.PR.1', ruleName: 'broken_check', file: broken }]));
    const validation = synthValidation(app);
    expect(validation.unevaluatedControls).toEqual(['CT.BROKEN.PR.1']);
    expect(validation.findings.map((f) => f.rule)).toEqual(expect.arrayContaining(['broken_check', 'ecr_private_tag_immutability_enabled_check']));
  });

  test('Guard run on each batch of controls\' own resource types fails the same rules on the same resources as on whole templates', () => {
    // a team stack with Spark and two workflows, whose Lambda permissions refer to the rules that invoke them
    const outdir = synthExample('feature-engineering').app.outdir;
    const templates = fs.readdirSync(outdir).filter((f) => f.endsWith('.template.json')).map((f) => path.join(outdir, f));
    const types = new Set(templates.flatMap((t) => Object.values<any>(JSON.parse(fs.readFileSync(t, 'utf8')).Resources).map((r) => r.Type)));
    expect(types).toContain('AWS::Lambda::Permission');
    const rules = controlTowerRules().filter((rule) => typesOf(rule).some((type) => types.has(type)));
    /** Each failed rule, by template, with the resources its failed checks name. */
    const failures = (results: GuardResult[]) => results.flatMap((result) => notCompliant(result)
      .map((rule) => `${result.name} ${rule.name}: ${[...new Set(JSON.stringify(rule).match(/\/Resources\/[^/"]+/g))].sort().join(' ')}`)).sort();
    const whole = failures(guard(rules.map((r) => r.file), templates).results!);
    expect(whole.filter((f) => f.includes('lambda_function_public_access_prohibited_check'))).toEqual([]);
    expect(whole.length).toBeGreaterThan(5);
    expect(failures((new ControlTowerChecks(rules) as any).runGuard(rules, readTemplates(templates)).results)).toEqual(whole);
  });

  test('each control names the resource types it checks, so a template without them may skip it', () => {
    const rules = controlTowerRules();
    expect(rules.length).toBeGreaterThan(200);
    expect(rules.filter((rule) => typesOf(rule).length === 0).map((rule) => rule.control)).toEqual([]);
    expect(typesOf(rules.find((r) => r.control === 'CT.EC2.PR.2')!)).toEqual(['AWS::EC2::LaunchTemplate']);
  });
});
