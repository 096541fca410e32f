import * as fs from 'fs';
import * as path from 'path';
import { HANDLER_BUNDLES } from '../../constructs/core/handler-bundles';
import { buildHandlers, handlerSources, ROOT } from '../../scripts/bundles';

// every change the build makes to the file system, and what it lists, recorded here and done as it would be
jest.mock('fs', () => {
  const real = jest.requireActual('fs');
  const recorded = (name: string) => jest.fn((...args: unknown[]) => real[name](...args));
  return {
    ...real, rmSync: recorded('rmSync'), renameSync: recorded('renameSync'), writeFileSync: recorded('writeFileSync'), mkdirSync: recorded('mkdirSync'),
    readdirSync: recorded('readdirSync'),
  };
});

const root = path.join(ROOT, HANDLER_BUNDLES);
const bundleOf = (name: string) => path.join(root, name, 'index.js');

describe('buildHandlers', () => {
  beforeAll(() => buildHandlers());

  test('never leaves a handler\'s bundle missing while it builds them again: a synth running meanwhile reads each whole', () => {
    const names = Object.keys(handlerSources());
    const missing: string[] = [];
    jest.mocked(fs.renameSync).mockClear();
    for (const name of ['rmSync', 'renameSync', 'writeFileSync', 'mkdirSync'] as const) {
      const recorded = jest.mocked(fs[name]) as jest.Mock;
      const real = recorded.getMockImplementation()!;
      recorded.mockImplementation((...args: unknown[]) => {
        const result = real(...args);
        missing.push(...names.filter((handler) => !fs.existsSync(bundleOf(handler))).map((handler) => `${handler} after ${name}`));
        return result;
      });
    }
    buildHandlers();
    expect(jest.mocked(fs.renameSync)).toHaveBeenCalledTimes(names.length);
    expect(missing).toEqual([]);
  });

  test('leaves each handler\'s folder holding its bundle alone, and removes what an earlier build or a stopped one left', () => {
    const [name] = Object.keys(handlerSources());
    const stray = path.join(root, name, 'index.js.map');
    const removed = path.join(root, 'handler-since-removed');
    const oldPartial = path.join(root, `.partial-${name}.1.js`);
    const youngPartial = path.join(root, `.partial-${name}.2.js`);
    fs.writeFileSync(stray, '{}');
    fs.mkdirSync(removed, { recursive: true });
    [oldPartial, youngPartial].forEach((file) => fs.writeFileSync(file, ''));
    fs.utimesSync(oldPartial, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));
    buildHandlers();
    expect([stray, removed, oldPartial].filter((file) => fs.existsSync(file))).toEqual([]);
    // another build may be about to rename it into place
    expect(fs.existsSync(youngPartial)).toBe(true);
    fs.rmSync(youngPartial);
    expect(fs.readdirSync(root).sort()).toEqual(Object.keys(handlerSources()).sort());
    Object.keys(handlerSources()).forEach((handler) => expect(fs.readdirSync(path.join(root, handler))).toEqual(['index.js']));
  });

  test('takes a partial bundle that another build renames away while this one lists them for no error, and for nothing to remove', () => {
    const gone = `.partial-${Object.keys(handlerSources())[0]}.1.js`;
    const readdir = jest.mocked(fs.readdirSync) as jest.Mock;
    const real = readdir.getMockImplementation()!;
    readdir.mockImplementation((...args: unknown[]) => (args[0] === root ? [...real(...args), gone] : real(...args)));
    jest.mocked(fs.rmSync).mockClear();
    try {
      expect(() => buildHandlers()).not.toThrow();
    } finally {
      readdir.mockImplementation(real);
    }
    expect(jest.mocked(fs.rmSync).mock.calls.map(([file]) => file)).not.toContain(path.join(root, gone));
  });
});
