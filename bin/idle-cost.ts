#!/usr/bin/env node
/**
 * Prints what each stack of the app bills a month while nothing runs, from the price table
 * in bin/idle-cost/prices.ts.
 *
 *   npm run cost                                # synthesizes the app as `cdk synth` would
 *   npm run cost -- -c network=private -c stage=prod -c replicaRegion=us-west-2
 *   npm run cost -- --assembly cdk.out          # reads an assembly already synthesized
 *   npm run cost -- --profiles                  # the table of the three network profiles in docs/network.md
 */
import { exitWith } from './command-outcome';
import { idleCost } from './idle-cost/command';

exitWith(idleCost(process.argv.slice(2)));
