import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DataWarehouse } from '../../../lib';
import { checkedTemplate, newTestApp } from '../../support/synth';
import { problemLines } from '../../support/validation';

function statementsOf(template: Template): any[] {
  return Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('DataWarehouse grants', () => {
  let template: Template;
  beforeAll(() => {
    const stack = new Stack(newTestApp(), 'Lake');
    const warehouse = new DataWarehouse(stack, 'Warehouse', { namePrefix: 'team' });
    const analyst = new iam.Role(stack, 'Analyst', { assumedBy: new iam.AccountRootPrincipal() });
    warehouse.grantQuery(analyst);
    const loader = new iam.Role(stack, 'Loader', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    warehouse.raw.grantWrite(loader, 'events/');
    template = checkedTemplate(stack);
  });

  test('name every action: no wildcard action anywhere', () => {
    const actions = statementsOf(template).flatMap((s) => [s.Action].flat());
    expect(actions.length).toBeGreaterThan(20);
    expect(actions.filter((a: string) => a.includes('*'))).toEqual([]);
  });

  test('grantQuery may run queries in its workgroup only', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Action: Match.arrayWith(['athena:GetQueryResults', 'athena:StartQueryExecution']),
        Resource: { 'Fn::Join': ['', Match.arrayWith([':workgroup/team'])] },
      })]) },
    });
  });

  test('grantQuery never writes the zones nor deletes anything', () => {
    const analystPolicy = Object.entries(template.findResources('AWS::IAM::Policy'))
      .find(([id]) => id.startsWith('AnalystDefaultPolicy'))![1];
    const statements = analystPolicy.Properties.PolicyDocument.Statement;
    const writes = statements.filter((s: any) => [s.Action].flat().some((a: string) => /Put|Delete|Create|Update/.test(a)));
    // the only write is Athena's results, under results/ of the results bucket
    expect(writes).toHaveLength(1);
    expect(JSON.stringify(writes[0].Resource)).toMatch(/WarehouseQueryResults.*\/results\/\*/);
  });

  test('grantWrite is scoped to its prefix and cannot delete', () => {
    const loaderPolicy = Object.entries(template.findResources('AWS::IAM::Policy'))
      .find(([id]) => id.startsWith('LoaderDefaultPolicy'))![1];
    const s3 = loaderPolicy.Properties.PolicyDocument.Statement.find((s: any) => [s.Action].flat().includes('s3:PutObject'));
    expect(s3.Resource['Fn::Join'][1][0]['Fn::GetAtt'][0]).toMatch(/^WarehouseRawZoneBucket/);
    expect(s3.Resource['Fn::Join'][1][1]).toBe('/events/*');
    expect(JSON.stringify(loaderPolicy)).not.toContain('s3:DeleteObject');
  });

  test('a key prefix IAM would read as a wildcard is refused, since it would grant more keys', () => {
    const stack = new Stack(newTestApp(), 'Lake');
    const warehouse = new DataWarehouse(stack, 'Warehouse');
    const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
    expect(problemLines(() => warehouse.curated.grantRead(reader, 'features/*'))).toEqual([
      'keyPrefix = "features/*": give a literal key prefix, without * or ?, which IAM would read as wildcards and so grant more keys',
    ]);
    expect(problemLines(() => warehouse.raw.grantWrite(reader, '/events/?'))).toEqual([
      'keyPrefix = "/events/?": give a literal key prefix, without * or ?, which IAM would read as wildcards and so grant more keys',
      'keyPrefix = "/events/?": give the prefix without a leading "/": S3 keys have none',
    ]);
    expect(() => warehouse.raw.grantWrite(reader, '/events/')).toThrow('Invalid props for LakeZone.grantWrite:\n  - keyPrefix = "/events/": give the prefix without a leading "/": S3 keys have none');
  });
});
