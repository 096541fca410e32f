import { Stack } from 'aws-cdk-lib';
import { notebookStartScript, scriptDigest } from '../../../constructs/development/notebook-start-script';

describe('the start script of a sandbox\'s JupyterLab', () => {
  let stack: Stack;
  let script: string;
  let lines: string[];
  beforeAll(() => {
    stack = new Stack();
    script = notebookStartScript(stack, { DSI_PROJECT: 'churn' }, { METAFLOW_DEFAULT_DATASTORE: 's3' });
    lines = script.split('\n');
  });

  test('runs under bash, stopping at the first error, in the home Studio mounts for sagemaker-user', () => {
    expect(lines[0]).toBe('#!/bin/bash');
    expect(lines).toContain('set -eu');
    expect(lines).toContain('H=/home/sagemaker-user');
  });

  test('writes the settings where the IPython startup file reads them', () => {
    const home = /^H=(.*)$/m.exec(script)![1];
    expect(script).toContain(`cat > "$H/.dsi/sandbox.json"`);
    expect(script).toContain(`pathlib.Path("${home}/.dsi/sandbox.json")`);
    expect(script).toContain('export DSI_PROJECT=\'churn\'');
    expect(stack.resolve(script)).toContain('{"METAFLOW_DEFAULT_DATASTORE":"s3"}');
  });

  test('leaves every folder it made, and the .bashrc it appends to, to sagemaker-user when it runs as root', () => {
    const made = /^mkdir -p (.*)$/m.exec(script)![1].split(' ').map((dir) => dir.replace(/\/profile_default\/startup"$/, '"'));
    const chowned = /chown -R sagemaker-user (.*); fi$/m.exec(script)![1].split(' ');
    expect(chowned).toEqual([...made, '"$H/.bashrc"']);
  });

  test('has a digest of 12 hex digits that follows what the script resolves to', () => {
    const digest = scriptDigest(stack, script);
    expect(digest).toMatch(/^[0-9a-f]{12}$/);
    expect(scriptDigest(stack, script)).toBe(digest);
    expect(scriptDigest(stack, `${script}# changed\n`)).not.toBe(digest);
  });
});
