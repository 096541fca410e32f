import * as fs from 'fs';
import * as path from 'path';
import { DataScienceStack, ProjectSandboxStack } from './lib';
import { wildcardStatements } from './test/support/policies';
import { newTestApp, synthValidation } from './test/support/synth';
const app = newTestApp();
const s = new DataScienceStack(app, 'data-science-dev', { teamName: 'data-science' });
const x = new ProjectSandboxStack(app, 'sbx', { teamName: 'data-science', projectName: 'churn', expiresOn: new Date(Date.now() + 5 * 86400000).toISOString().slice(0, 10) });
const v = synthValidation(app);
for (const st of [s, x]) {
  const t = JSON.parse(fs.readFileSync(path.join(app.outdir, st.templateFile), 'utf8'));
  for (const w of wildcardStatements(t)) console.log(w.identity ? 'ID ' : 'RES', w.logicalId, JSON.stringify(w.statement.Action), JSON.stringify(w.statement.Resource).replace(/\{"Ref":"AWS::Partition"\}|\{"Ref":"AWS::Region"\}|\{"Ref":"AWS::AccountId"\}/g, '').slice(0, 220));
}
const acks = new Map<string, string>();
for (const a of v.acknowledged.filter((a) => a.rule.startsWith('AwsSolutions-IAM5'))) acks.set(`${a.paths.join(',')} ${a.rule}`, a.reason);
for (const [k, r] of acks) console.log('ACK', k, '=>', r);
