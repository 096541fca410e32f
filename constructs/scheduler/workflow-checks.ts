import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { counted } from '../core/counted';
import { PropChecker, shownDuration } from '../core/validation-error';
import { historyEventsAtMost, HISTORY_LIMIT } from './lane-executor';
import type { LanePlan } from './lanes';

/*
 * What a workflow checks of its props, and of the state machine they make, before it is made.
 */

/** What SageMaker takes as model metadata, where the run records and registered models carry the code version. */
const CODE_VERSION = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

/** Records a problem unless `codeVersion` is unset or text a run record and model metadata take. */
export function checkCodeVersion(check: PropChecker, codeVersion: string | undefined): void {
  check.matches('codeVersion', codeVersion, CODE_VERSION, 'give 1 to 256 letters, digits, spaces and _.:/=+-@, for example a git sha');
}

/** A standard execution runs for a year at most. */
const MAX_TIMEOUT_SECONDS = 365 * 24 * 3600;
const S3_URL = /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/;

/** Records what is wrong with the props of the run itself: its timeout, inputs, logs and removal. */
export function checkRunProps(check: PropChecker, timeout: Duration, inputLocations: string[], logRetention: logs.RetentionDays, removalPolicy?: RemovalPolicy): void {
  const seconds = check.durationIn('timeout', timeout, 'seconds', 'Duration.hours(24)');
  check.check(seconds === undefined || (Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_TIMEOUT_SECONDS), 'timeout', shownDuration(timeout),
    'give whole seconds, from 1 second to 365 days (the longest a standard execution runs)');
  inputLocations.forEach((location, i) => check.check(typeof location === 'string' && (Token.isUnresolved(location) || S3_URL.test(location)),
    `inputLocations[${i}]`, location, 'give an S3 URL such as "s3://bucket/events/"'));
  // a run record holds them as a string set, which may not repeat a value
  check.check(new Set(inputLocations).size === inputLocations.length, 'inputLocations', inputLocations, 'name each location once');
  check.retentionDays('logRetention', logRetention);
  check.removalPolicy('removalPolicy', removalPolicy);
}

/** Step Functions refuses definitions over 1 MB. */
const DEFINITION_LIMIT_BYTES = 1024 * 1024;

/**
 * Fails synth when the definition would pass Step Functions' limit once deployed, counting
 * each token (an ARN, a name) as 100 bytes, more than most become.
 */
export function checkDefinitionSize(definition: object, stepCount: number): void {
  const text = JSON.stringify(definition);
  const tokens = text.match(TOKEN) ?? [];
  const bytes = Buffer.byteLength(text.replace(TOKEN, '')) + 100 * tokens.length;
  const check = new PropChecker('Workflow');
  check.check(bytes <= DEFINITION_LIMIT_BYTES, 'steps', counted(stepCount, 'step'),
    `the state machine would be about ${Math.ceil(bytes / 1024)} KiB, over Step Functions' 1 MB limit; `
    + 'split the workflow in two and start the second with runAfter, or fan repeated work out with forEach');
  check.throwIfAny();
}

/**
 * Fails synth when a run would pass Step Functions' history of 25,000 events and fail then, however
 * long after it started; `otherEvents` are those of states the plan does not count: the run's
 * snapshot recording, and steps that loop.
 */
export function checkHistory(plan: LanePlan, stepCount: number, otherEvents = 0): void {
  const events = historyEventsAtMost(plan) + otherEvents;
  const check = new PropChecker('Workflow');
  check.check(events <= HISTORY_LIMIT, 'steps', counted(stepCount, 'step'),
    `a run would record up to ${events} history events, over the ${HISTORY_LIMIT} Step Functions keeps for a run; `
    + 'split the workflow in two and start the second with runAfter, or fan repeated work out with forEach');
  check.throwIfAny();
}

/** How a token looks inside a string until it is resolved. */
const TOKEN = /\$\{Token\[[^\]]+\]\}/g;

