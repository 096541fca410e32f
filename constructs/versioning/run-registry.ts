import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledgeRegulated } from '../core/compliance';
import { newDataKey } from '../core/keys';
import { statefulRemovalPolicy } from '../core/removal';
import { checkPropsStruct, PropChecker } from '../core/validation-error';

export interface RunRegistryProps {
  /** Encrypts the table. @default - a new key with rotation */
  readonly encryptionKey?: kms.IKey;

  /**
   * Refuse to delete the table, even with its stack.
   * @default - on, unless `removalPolicy` is DESTROY: a table meant to go with its stack must be deletable
   */
  readonly deletionProtection?: boolean;

  /**
   * What happens to the table when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * One record per workflow run, written by the workflow itself: run id, workflow, status,
 * start and end, code version, input data locations, artifact prefix, parameters, and for a
 * failed run the step and error. A run that times out or is stopped is marked so from its
 * EventBridge event. Keyed by workflow and run id; the `byStartTime` index lists a workflow's
 * runs by time.
 */
export class RunRegistry extends Construct {
  /** The index that lists a workflow's runs by start time. */
  public static readonly BY_START_TIME = 'byStartTime';

  /** The table of run records, keyed by workflow and run id. */
  public readonly table: dynamodb.Table;
  /** Encrypts the table. */
  public readonly encryptionKey: kms.IKey;

  /**
   * @param scope the construct that holds this one
   * @param id its id in `scope`; the logical ids of its resources derive from it, so keep it once deployed
   * @param props its settings, see `RunRegistryProps`
   */
  constructor(scope: Construct, id: string, props: RunRegistryProps = {}) {
    super(scope, id);
    checkPropsStruct('RunRegistry', props, '{ removalPolicy: RemovalPolicy.RETAIN }');
    const removalPolicy = statefulRemovalPolicy(props.removalPolicy);
    const check = new PropChecker('RunRegistry');
    check.removalPolicy('removalPolicy', props.removalPolicy);
    check.boolean('deletionProtection', props.deletionProtection);
    check.construct('encryptionKey', props.encryptionKey, 'a kms.IKey, such as new kms.Key(this, "Key", { enableKeyRotation: true })');
    check.check(!(props.deletionProtection && removalPolicy === RemovalPolicy.DESTROY), 'deletionProtection', true,
      'a protected table cannot be deleted, so it cannot be destroyed with its stack: leave deletionProtection unset, or keep the table (RETAIN)');
    check.throwIfAny();
    this.encryptionKey = props.encryptionKey ?? newDataKey(this, 'Key', 'Encrypts the run registry', removalPolicy);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'workflow', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'runId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.encryptionKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection ?? removalPolicy !== RemovalPolicy.DESTROY,
      removalPolicy,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: RunRegistry.BY_START_TIME,
      partitionKey: { name: 'workflow', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'startedAt', type: dynamodb.AttributeType.STRING },
    });
    acknowledgeRegulated(this.table, 'DynamoDBInBackupPlan',
      'Point-in-time recovery restores the table to any second of the last 35 days; an AWS Backup plan is the account\'s to choose.');
  }

  /** Lets `grantee` write run records: put and update items, nothing else. */
  public grantRecord(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({ grantee, actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], resourceArns: [this.table.tableArn] })
      .combine(this.encryptionKey.grant(grantee, 'kms:Decrypt', 'kms:GenerateDataKey'));
  }

  /** Lets `grantee` read run records, by key or through the index. */
  public grantRead(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:DescribeTable'],
      resourceArns: [this.table.tableArn, `${this.table.tableArn}/index/${RunRegistry.BY_START_TIME}`],
    }).combine(this.encryptionKey.grant(grantee, 'kms:Decrypt'));
  }
}
