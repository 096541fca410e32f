import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * A role SageMaker runs notebook apps as. The domain names the profile behind each session
 * (`USER_PROFILE_NAME`), which SageMaker passes as the session's source identity.
 */
export function newNotebookExecutionRole(scope: Construct, id: string, description: string): iam.Role {
  const sagemaker = new iam.ServicePrincipal('sagemaker.amazonaws.com');
  const role = new iam.Role(scope, id, { assumedBy: sagemaker, description });
  role.assumeRolePolicy!.addStatements(new iam.PolicyStatement({ actions: ['sts:SetSourceIdentity'], principals: [sagemaker] }));
  return role;
}
