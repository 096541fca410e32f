import { PolicySimulator } from './iam';

/*
 * A role's work, as every call it makes: each is simulated against the synthesized policies and
 * must be allowed, and every action the role's policies allow must be one of them. A role that
 * loses an action its work needs fails the first; an action granted with no need written down
 * fails the second, so the list stays the whole of the role's work.
 */

/** One call a role's work makes. */
export interface RoleNeed {
  /** Why the work makes it, for the failure message. */
  readonly why: string;
  readonly action: string;
  /** The ARN it is made on, as the simulator resolves the template's resources (`*` where the action takes none). */
  readonly resource: string;
  /** Request context the call carries, such as `s3:prefix` on a listing. @default - none */
  readonly context?: Record<string, string | string[]>;
}

/** Whether an action of a policy (`s3:GetObject*`, `s3:*`) covers `action`. */
function covers(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return regex.test(action);
}

/**
 * Asserts every need of the role is allowed, and that the role's policies allow no action
 * `needs` does not make; `where` names the list in the failure message.
 */
export async function expectRoleNeeds(sim: PolicySimulator, roleId: string, needs: RoleNeed[], where: string): Promise<void> {
  if (needs.length === 0) {
    throw new Error(`${roleId} has no needs in ${where}`);
  }
  const refused: string[] = [];
  for (const need of needs) {
    const decision = await sim.decide(roleId, need.action, need.resource, need.context);
    if (decision !== 'Allowed') {
      refused.push(`${need.action} on ${need.resource} (${need.why}): ${decision}`);
    }
  }
  const unneeded = sim.allowedActions(roleId).filter((granted) => !needs.some((need) => covers(granted, need.action)));
  expect({ role: roleId, refused, grantedWithNoNeed: unneeded }).toEqual({ role: roleId, refused: [], grantedWithNoNeed: [] });
}
