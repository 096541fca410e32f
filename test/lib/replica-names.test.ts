import { checkReplicaRegion } from '../../lib/replica-names';
import { checkerProblems } from '../support/validation';

const problems = (region: unknown) => checkerProblems((check) => checkReplicaRegion(check, 'team', 'prod', region, 'eu-west-1'));

describe('checkReplicaRegion', () => {
  test.each(['us-west-2', 'ap-southeast-2', 'us-gov-west-1', 'eu-central-2'])('takes the region %s', (region) => {
    expect(problems(region)).toEqual([]);
  });

  test.each(['uswest2', 'us-west', 'US-WEST-2', 'us-west-2a'])('refuses %s, which names no region', (region) => {
    expect(problems(region)).toEqual([`replicaRegion = "${region}": give a region name, for example "us-west-2"`]);
  });
});
