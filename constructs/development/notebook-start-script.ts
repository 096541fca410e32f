import { createHash } from 'crypto';
import { Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/** Where Studio keeps a space's files: its storage volume, mounted for the user `sagemaker-user`. */
const HOME = '/home/sagemaker-user';

/**
 * The script a space's JupyterLab runs at every start: it writes the settings where the first
 * cell finds them. Every Python kernel gets them in its environment (an IPython startup file),
 * every terminal too (`~/.dsi/sandbox.env`, sourced by `~/.bashrc`), and Metaflow reads its
 * configuration from `~/.metaflowconfig/config.json`. Values may be tokens; they resolve at deploy.
 */
export function notebookStartScript(scope: IConstruct, environment: Record<string, string>, metaflowConfig: Record<string, string>): string {
  const stack = Stack.of(scope);
  const heredoc = (file: string, lines: string[]) => [`cat > "${file}" <<'DSI_EOF'`, ...lines, 'DSI_EOF'];
  return [
    '#!/bin/bash',
    '# Settings of this sandbox, written at every start of its JupyterLab',
    'set -eu',
    `H=${HOME}`,
    'mkdir -p "$H/.dsi" "$H/.metaflowconfig" "$H/.ipython/profile_default/startup"',
    ...heredoc('$H/.dsi/sandbox.json', [stack.toJsonString(environment)]),
    ...heredoc('$H/.dsi/sandbox.env', Object.entries(environment).map(([name, value]) => `export ${name}='${value}'`)),
    ...heredoc('$H/.metaflowconfig/config.json', [stack.toJsonString(metaflowConfig)]),
    ...heredoc('$H/.ipython/profile_default/startup/00-dsi-sandbox.py', [
      'import json, os, pathlib',
      'for _name, _value in json.loads(pathlib.Path("/home/sagemaker-user/.dsi/sandbox.json").read_text()).items():',
      '    os.environ.setdefault(_name, _value)',
    ]),
    'grep -qs "dsi/sandbox.env" "$H/.bashrc" || echo \'[ -f "$HOME/.dsi/sandbox.env" ] && . "$HOME/.dsi/sandbox.env"\' >> "$H/.bashrc"',
    // files a script run as root wrote stay the user's to change
    'if [ "$(id -u)" = 0 ] && id sagemaker-user >/dev/null 2>&1; then chown -R sagemaker-user "$H/.dsi" "$H/.metaflowconfig" "$H/.ipython" "$H/.bashrc"; fi',
    '',
  ].join('\n');
}

/** A short digest of what `script` resolves to, stable from one synth to the next. */
export function scriptDigest(scope: IConstruct, script: string): string {
  return createHash('sha256').update(JSON.stringify(Stack.of(scope).resolve(script))).digest('hex').slice(0, 12);
}
