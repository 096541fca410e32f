import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SFNClient } from '@aws-sdk/client-sfn';
import { Io } from '../../bin/dsi/commands';

/**
 * What `dsi` runs with in a test: the SDK clients aws-sdk-client-mock answers for, no waiting, a
 * fixed clock (2026-11-27 10:00 UTC), and every line it prints kept in `printed`.
 */
export function testIo(printed: string[]): Io {
  return {
    sfn: new SFNClient({ region: 'eu-west-1' }),
    cloudformation: new CloudFormationClient({ region: 'eu-west-1' }),
    print: (line) => printed.push(line),
    sleep: async () => undefined,
    now: () => new Date('2026-11-27T10:00:00Z'),
  };
}
