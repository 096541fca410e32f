/**
 * The tag a team stack's VPC carries with its network profile's name, which the stateful guard
 * reads from deployed templates. A file of its own, so the guard's command line carries no construct.
 */
export const NETWORK_PROFILE_TAG = 'cdk-data-science:network';

/** The profile of a VPC without the tag: the networks made before profiles existed were public. */
export const UNTAGGED_NETWORK_PROFILE = 'public';
