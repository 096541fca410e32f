import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { CreatePresignedDomainUrlCommand, ResourceNotFound, SageMakerClient, SageMakerServiceException } from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../bin/dsi';
import { testIo } from '../support/dsi-io';

const cfnMock = mockClient(CloudFormationClient);
const sagemakerMock = mockClient(SageMakerClient);
const SANDBOX = 'data-science-dev-sandbox-churn-ana-lima';
const ROLE = 'arn:aws:iam::111122223333:role/data-science-dev-sandbox-churn-ana-lima-ProjectRole-abc';
const SANDBOX_OUTPUTS = {
  NotebookDomainId: 'd-team', NotebookUserProfileName: 'churn-ana-lima', NotebookSpaceName: 'churn-ana-lima-lab', ProjectRoleArn: ROLE,
};
const URL = 'https://d-team.studio.eu-west-1.sagemaker.aws/auth?token=abc';

let printed: string[];
let errors: string[];
const io = () => testIo(printed);
const deployed = (outputs: Record<string, string>) => cfnMock.on(DescribeStacksCommand).resolves({ Stacks: [{
  StackName: 'x', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE',
  Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
}] });

beforeEach(() => {
  cfnMock.reset();
  sagemakerMock.reset();
  printed = [];
  errors = [];
  jest.spyOn(console, 'error').mockImplementation((line: string) => { errors.push(line); });
  sagemakerMock.on(CreatePresignedDomainUrlCommand).resolves({ AuthorizedUrl: URL });
});

describe('dsi notebook', () => {
  test('prints a presigned URL into the owner\'s JupyterLab, alone on its line', async () => {
    deployed(SANDBOX_OUTPUTS);
    expect(await main(['notebook', '--stack', SANDBOX], io())).toBe(0);
    expect(printed).toEqual([URL]);
    expect(cfnMock.commandCalls(DescribeStacksCommand)[0].args[0].input).toEqual({ StackName: SANDBOX });
    expect(sagemakerMock.commandCalls(CreatePresignedDomainUrlCommand).map((c) => c.args[0].input)).toEqual([{
      DomainId: 'd-team', UserProfileName: 'churn-ana-lima', SpaceName: 'churn-ana-lima-lab', LandingUri: 'app:JupyterLab:', ExpiresInSeconds: 300,
    }]);
    // in the region of the other clients, with dsi's retries
    const client = sagemakerMock.call(0).thisValue as SageMakerClient;
    expect([await client.config.region(), client.config.maxAttempts && await client.config.maxAttempts()]).toEqual(['eu-west-1', 6]);
  });

  test('--studio lands on Studio\'s home page instead', async () => {
    deployed(SANDBOX_OUTPUTS);
    expect(await main(['notebook', '--stack', SANDBOX, '--studio'], io())).toBe(0);
    expect(sagemakerMock.commandCalls(CreatePresignedDomainUrlCommand)[0].args[0].input).toEqual({
      DomainId: 'd-team', UserProfileName: 'churn-ana-lima', LandingUri: 'studio::', ExpiresInSeconds: 300,
    });
  });

  test('reads a cdk deploy --outputs-file offline', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dsi-')), 'outputs.json');
    fs.writeFileSync(file, JSON.stringify({ [SANDBOX]: SANDBOX_OUTPUTS }));
    expect(await main(['notebook', '--stack', SANDBOX, '--outputs', file], io())).toBe(0);
    expect(printed).toEqual([URL]);
    expect(cfnMock.commandCalls(DescribeStacksCommand)).toHaveLength(0);
  });

  test('says how to get a notebook when the stack has no domain', async () => {
    deployed({ Workflows: '{}' });
    expect(await main(['notebook'], io())).toBe(1);
    expect(errors).toEqual(['dsi: Stack data-science-dev has no notebook. Deploy the team stack with -c notebooks=true, '
      + 'then your sandbox with -c notebooks=true -c sandbox=<project> -c owner=<you>, and name it with --stack.']);
    expect(sagemakerMock.calls()).toHaveLength(0);
  });

  test('points from a team stack with a domain to the sandboxes', async () => {
    deployed({ Workflows: '{}', NotebookDomainId: 'd-team' });
    expect(await main(['notebook', '--stack', 'data-science-dev'], io())).toBe(1);
    expect(errors[0]).toBe('dsi: Stack data-science-dev is a team stack: its notebooks are in its people\'s sandboxes. '
      + 'Name yours with --stack <team>-<stage>-sandbox-<project>-<owner>.');
  });

  test('names the role to assume when the caller may not open the notebook', async () => {
    deployed(SANDBOX_OUTPUTS);
    sagemakerMock.on(CreatePresignedDomainUrlCommand).rejects(new SageMakerServiceException({
      name: 'AccessDeniedException', $fault: 'client', $metadata: {},
      message: 'User: arn:aws:sts::111122223333:assumed-role/dev/ana is not authorized to perform: sagemaker:CreatePresignedDomainUrl',
    }));
    expect(await main(['notebook', '--stack', SANDBOX], io())).toBe(1);
    expect(errors[0]).toBe('dsi: You may not open the notebook churn-ana-lima: User: arn:aws:sts::111122223333:assumed-role/dev/ana is not authorized '
      + `to perform: sagemaker:CreatePresignedDomainUrl. Assume the sandbox's project role (${ROLE}), or ask for sagemaker:CreatePresignedDomainUrl on the profile.`);
    expect(printed).toEqual([]);
  });

  test('passes on an error it cannot explain, and without a project role names the output that would hold it', async () => {
    deployed(SANDBOX_OUTPUTS);
    sagemakerMock.on(CreatePresignedDomainUrlCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(main(['notebook', '--stack', SANDBOX], io())).rejects.toThrow('Rate exceeded');
    deployed(Object.fromEntries(Object.entries(SANDBOX_OUTPUTS).filter(([key]) => key !== 'ProjectRoleArn')));
    sagemakerMock.on(CreatePresignedDomainUrlCommand).rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    expect(await main(['notebook', '--stack', SANDBOX], io())).toBe(1);
    expect(errors).toEqual(['dsi: You may not open the notebook churn-ana-lima: not authorized. Assume the sandbox\'s project role '
      + '(its ProjectRoleArn output), or ask for sagemaker:CreatePresignedDomainUrl on the profile.']);
  });

  test('says so when the profile is gone from the domain', async () => {
    deployed(SANDBOX_OUTPUTS);
    sagemakerMock.on(CreatePresignedDomainUrlCommand).rejects(new ResourceNotFound({ message: 'User profile churn-ana-lima does not exist', $metadata: {} }));
    expect(await main(['notebook', '--stack', SANDBOX], io())).toBe(1);
    expect(errors[0]).toBe('dsi: Domain d-team has no profile churn-ana-lima: User profile churn-ana-lima does not exist. '
      + 'Was the team\'s domain replaced? Deploy the sandbox again.');
  });

  test('says so when the sandbox is not deployed', async () => {
    cfnMock.on(DescribeStacksCommand).rejects(Object.assign(new Error(`Stack with id ${SANDBOX} does not exist`), { name: 'ValidationError' }));
    expect(await main(['notebook', '--stack', SANDBOX], io())).toBe(1);
    expect(errors[0]).toBe(`dsi: Stack ${SANDBOX} is not deployed in eu-west-1: deploy it with \`npx cdk deploy ${SANDBOX}\`, or name another with --stack.`);
  });

  test('the usage lists the command', async () => {
    expect(await main(['--help'], io())).toBe(0);
    expect(printed.join('\n')).toContain('dsi notebook --stack <sandbox stack> [--studio]');
  });
});
