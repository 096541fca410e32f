import { Aws, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { checkName } from '../constructs/core/naming';
import { checkArguments, PropChecker } from '../constructs/core/validation-error';
import { checkStage } from './stage';

/** The zones a replica holds, by the name in its bucket's name. */
export const REPLICATED_ZONES = ['raw', 'curated', 'artifacts'];

const ACCOUNT_ID_LENGTH = 12;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/**
 * Names the source and replica stacks both derive, so neither reads the other's outputs:
 * replication and backup copies cross regions, where CloudFormation cannot pass references.
 * Each bucket name carries the account id, and the replication role may write only to
 * buckets of this account (`s3:ResourceAccount`), so a bucket of that name elsewhere is refused.
 */
export class ReplicaNames {
  /**
   * @param teamName the team, as in its stack's name
   * @param stage the stage, as in its stack's name
   * @param region the replica region
   */
  constructor(
    private readonly teamName: string,
    private readonly stage: string,
    /** The replica region. */
    public readonly region: string,
  ) {
    checkArguments('ReplicaNames', (check) => {
      checkName(check, 'teamName', teamName);
      checkStage(check, 'stage', stage);
      check.matches('region', region, REGION, 'give a region name, for example "us-west-2"', { required: true });
    });
  }

  /** `<team>-<stage>-<zone>-replica-<account>`: the replica bucket of a zone. */
  public bucketName(zone: string): string {
    checkArguments('ReplicaNames.bucketName', (check) => checkZone(check, zone));
    return `${this.teamName}-${this.stage}-${zone}-replica-${Aws.ACCOUNT_ID}`;
  }

  /** The ARN of the replica bucket of a zone. */
  public bucketArn(scope: Stack, zone: string): string {
    checkArguments('ReplicaNames.bucketArn', (check) => {
      checkStack(check, scope);
      checkZone(check, zone);
    });
    return `arn:${scope.partition}:s3:::${this.bucketName(zone)}`;
  }

  /** The alias of the replica key, by which the source side names it. */
  public get keyAlias(): string {
    return `alias/${this.teamName}-${this.stage}-replica`;
  }

  /** The ARN of the replica key's alias, in the replica region. */
  public keyAliasArn(scope: Stack): string {
    checkArguments('ReplicaNames.keyAliasArn', (check) => checkStack(check, scope));
    return `arn:${scope.partition}:kms:${this.region}:${Aws.ACCOUNT_ID}:${this.keyAlias}`;
  }

  /** The vault in the replica region that backups are copied to. */
  public get backupVaultName(): string {
    return `${this.teamName}-${this.stage}-replica`;
  }

  /** The ARN of the replica region's vault. */
  public backupVaultArn(scope: Stack): string {
    checkArguments('ReplicaNames.backupVaultArn', (check) => checkStack(check, scope));
    return `arn:${scope.partition}:backup:${this.region}:${Aws.ACCOUNT_ID}:backup-vault:${this.backupVaultName}`;
  }
}

function checkZone(check: PropChecker, zone: unknown): void {
  check.oneOf('zone', zone, REPLICATED_ZONES, `use one of ${REPLICATED_ZONES.map((z) => `"${z}"`).join(', ')}: the zones a replica holds`, { required: true });
}

function checkStack(check: PropChecker, scope: unknown): void {
  check.check(Stack.isStack(scope), 'scope', scope, 'give the stack the ARN is written in, such as Stack.of(this)');
}

/** Records a problem unless `region` is a region other than `sourceRegion` and the replica names fit S3's 63 characters. */
export function checkReplicaRegion(check: PropChecker, teamName: string, stage: string, region: unknown, sourceRegion: string): void {
  check.check(typeof region === 'string' && REGION.test(region), 'replicaRegion', region, 'give a region name, for example "us-west-2"');
  check.check(region !== sourceRegion, 'replicaRegion', region, 'give a region other than the stack\'s own');
  const longest = Math.max(...REPLICATED_ZONES.map((z) => z.length));
  const spare = 63 - `${teamName}-${stage}--replica-`.length - longest - ACCOUNT_ID_LENGTH;
  check.check(spare >= 0, 'teamName', teamName,
    `with replicaRegion, replica bucket names must fit 63 characters: use a team name of at most ${teamName.length + spare} characters`);
}

/**
 * Records what is wrong with the parts both sides of a replica take: the names they agree on, the
 * buckets by zone (`prop` names them) and the removal policy.
 */
export function checkReplicaParts(check: PropChecker, names: unknown, prop: string, buckets: unknown, removalPolicy: RemovalPolicy): void {
  check.instance('names', names, 'bucketName', 'the names both sides agree on, such as new ReplicaNames("fraud-models", "prod", "us-west-2")', { required: true });
  if (check.struct(prop, buckets, '{ raw: rawBucket }', { required: true })) {
    for (const [zone, bucket] of Object.entries(buckets as object)) {
      check.construct(`${prop}.${zone}`, bucket, 'an s3.Bucket of the team stack', { required: true });
    }
  }
  check.removalPolicy('removalPolicy', removalPolicy, { required: true });
}
