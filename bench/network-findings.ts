/**
 * Rule-pack findings of the team stack in each network profile, before and after the
 * acknowledgements: what each profile leaves to explain, and what it fixes outright.
 *
 *   npx tsx bench/network-findings.ts 2>/dev/null   (synth reports each finding on stderr too)
 */
import { Validations } from 'aws-cdk-lib';
import { DataScienceStack, DataScienceStage, NetworkProfile } from '../lib';
import { newTestApp, synthFindings } from '../test/support/synth';

const PACKS = ['AwsSolutions', 'Serverless', 'NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'];

/** Findings by pack, and the rules behind them, of the dev stack, or the prod stack with a replica region, in `network`. */
function findings(network: NetworkProfile, prod: boolean): Map<string, Map<string, number>> {
  const app = newTestApp();
  new DataScienceStack(app, 'data-science', prod
    ? { teamName: 'data-science', stage: DataScienceStage.PROD, network, replicaRegion: 'us-west-2' }
    : { teamName: 'data-science', network });
  const byPack = new Map<string, Map<string, number>>();
  for (const finding of synthFindings(app, { regulated: true })) {
    const rules = byPack.get(finding.plugin) ?? new Map<string, number>();
    rules.set(finding.rule, (rules.get(finding.rule) ?? 0) + finding.paths.length);
    byPack.set(finding.plugin, rules);
  }
  return byPack;
}

const acknowledge = Validations.prototype.acknowledge;
for (const [raw, prod] of [[true, false], [true, true], [false, false], [false, true]]) {
  // with acknowledge a no-op, every finding the packs raise is reported
  Validations.prototype.acknowledge = raw ? function () { return; } : acknowledge;
  console.log(`${raw ? 'Raw findings (acknowledgements ignored)' : 'Unacknowledged findings'}, ${prod ? 'prod stack and replica stack' : 'dev stack'}:`);
  for (const network of Object.values(NetworkProfile)) {
    const byPack = findings(network, prod);
    const counts = PACKS.map((pack) => [...(byPack.get(pack)?.values() ?? [])].reduce((a, b) => a + b, 0));
    console.log(`  ${network.padEnd(8)} ${PACKS.map((pack, i) => `${pack} ${counts[i]}`).join(', ')}`);
    if (raw) {
      const placement = [...byPack.values()].flatMap((rules) => [...rules.keys()])
        .filter((rule) => /-(VPC|Lambda|EC2InstanceNoPublicIp)/.test(rule));
      console.log(`           network and function rules among them: ${placement.join(', ') || 'none'}`);
    }
  }
}
