import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { checkComputeSubnets, checkSelectsSubnets, computeSubnetsOf } from '../../../constructs/network/compute-subnets';
import { checkerProblems } from '../../support/validation';

const vpc = (...subnetTypes: ec2.SubnetType[]) => new ec2.Vpc(new Stack(), 'Vpc', {
  maxAzs: 2, natGateways: subnetTypes.includes(ec2.SubnetType.PRIVATE_WITH_EGRESS) ? 1 : 0,
  subnetConfiguration: subnetTypes.map((subnetType) => ({ name: subnetType.toLowerCase(), subnetType })),
});
const { PUBLIC, PRIVATE_WITH_EGRESS, PRIVATE_ISOLATED } = ec2.SubnetType;


describe('compute subnets', () => {
  test('are a VPC\'s private subnets with egress when it has them, its public subnets otherwise', () => {
    expect(computeSubnetsOf(vpc(PUBLIC, PRIVATE_WITH_EGRESS))).toEqual({ subnetType: PRIVATE_WITH_EGRESS });
    expect(computeSubnetsOf(vpc(PUBLIC, PRIVATE_ISOLATED))).toEqual({ subnetType: PUBLIC });
  });

  test('need a way out unless selected: isolated subnets alone are refused, with how to select them where a prop can', () => {
    const isolated = vpc(PRIVATE_ISOLATED);
    const fix = 'give a VPC with private subnets with egress or public subnets: hosts pull images and call AWS APIs, which isolated subnets reach only through interface endpoints';
    expect(checkerProblems((check) => checkComputeSubnets(check, isolated))).toEqual([`vpc = "Default/Vpc: no private subnet with egress, no public subnet": ${fix}`]);
    expect(checkerProblems((check) => checkComputeSubnets(check, isolated, undefined, 'subnets')))
      .toEqual([`vpc = "Default/Vpc: no private subnet with egress, no public subnet": ${fix}; if yours has them, select its subnets with subnets`]);
    expect(checkerProblems((check) => checkComputeSubnets(check, vpc(PUBLIC)))).toEqual([]);
    const privateOnly = ec2.Vpc.fromVpcAttributes(new Stack(), 'Own', { vpcId: 'vpc-1', availabilityZones: ['eu-west-1a'], privateSubnetIds: ['subnet-1'] });
    expect(checkerProblems((check) => checkComputeSubnets(check, privateOnly))).toEqual([]);
    expect(checkerProblems((check) => checkComputeSubnets(check, isolated, { subnetType: PRIVATE_ISOLATED }, 'subnets'))).toEqual([]);
  });

  test('a VPC or a selection of another kind, as JavaScript may give, is refused by name and judged no further', () => {
    expect(checkerProblems((check) => checkComputeSubnets(check, {} as any, { subnetType: PUBLIC }, 'subnets')))
      .toEqual(['vpc = {}: give an ec2.IVpc, such as new ec2.Vpc(this, "Vpc")']);
    expect(checkerProblems((check) => checkSelectsSubnets(check, 'subnets', vpc(PUBLIC), 'text' as any)))
      .toEqual(['subnets = "text": give an object of props, for example { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }']);
    expect(checkerProblems((check) => checkSelectsSubnets(check, 'subnets', 42 as any, { subnetType: PUBLIC }))).toEqual([]);
  });

  test('selected, must select a subnet the VPC has, and no more than asked', () => {
    const two = vpc(PUBLIC, PRIVATE_ISOLATED); // two zones, a subnet of each type in each
    expect(checkerProblems((check) => checkComputeSubnets(check, two, { subnetGroupName: 'isolated', onePerAz: true }, 'subnets'))).toEqual([]);
    expect(checkerProblems((check) => checkSelectsSubnets(check, 'subnets', two, { subnetType: PRIVATE_ISOLATED }, 2))).toEqual([]);
    expect(checkerProblems((check) => checkSelectsSubnets(check, 'subnets', two, { subnetType: PRIVATE_ISOLATED }, 1)))
      .toEqual(['subnets = "subnetType: Isolated": select subnets the VPC has (it selects 2 subnets, more than 1)']);
    expect(checkerProblems((check) => checkSelectsSubnets(check, 'subnets', two, { subnetType: PRIVATE_ISOLATED, onePerAz: true }, 1)))
      .toEqual(['subnets = "subnetType: Isolated, onePerAz: true": select subnets the VPC has (it selects 2 subnets, more than 1)']);
    expect(checkerProblems((check) => checkSelectsSubnets(check, 'subnets', two, { subnets: [] })))
      .toEqual(['subnets = "subnets: 0 given": select subnets the VPC has (it selects no subnet)']);
    expect(checkerProblems((check) => checkComputeSubnets(check, two, { subnetType: PRIVATE_WITH_EGRESS })))
      .toEqual([expect.stringMatching(/^subnets = "subnetType: Private": select subnets the VPC has \(There are no 'Private' subnet groups in this VPC/)]);
    expect(checkerProblems((check) => checkSelectsSubnets(check, 'placement', two, {}, 1)))
      .toEqual(['placement = "{}": select subnets the VPC has (it selects 2 subnets, more than 1)']);
  });
});
