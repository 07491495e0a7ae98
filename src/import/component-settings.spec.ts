import type { Problem } from '../planner/types.js';
import { readSetting, type ComponentSettings } from './component-settings.js';

/** Reads name=value pairs as the imports do, and returns what was set and what was wrong. */
function read(pairs: [string, unknown][]): { settings: ComponentSettings; problems: Problem[]; unknown: string[] } {
  const settings: ComponentSettings = {};
  const problems: Problem[] = [];
  const unknown = pairs.filter(([name, value]) => !readSetting(settings, name, value, `at.${name}`, problems));
  return { settings, problems, unknown: unknown.map(([name]) => name) };
}

describe(readSetting.name, () => {
  it('reads every setting from label text, and tls from a YAML boolean too', () => {
    expect(
      read([
        ['exposure', 'public'],
        ['role', 'api'],
        ['workload', 'StatefulSet'],
        ['host', 'shop.example.com'],
        ['path', '/api'],
        ['tls', 'true'],
      ]).settings,
    ).toEqual({
      exposure: 'public',
      role: 'api',
      workload: 'StatefulSet',
      host: 'shop.example.com',
      path: '/api',
      tls: true,
    });
    expect(read([['tls', false]]).settings).toEqual({ tls: false });
  });

  it('lists each bad value at its own place and sets nothing for it', () => {
    const { settings, problems } = read([
      ['exposure', 'everywhere'],
      ['role', 7],
      ['host', ''],
      ['tls', 'yes'],
    ]);
    expect(settings).toEqual({});
    expect(problems).toEqual([
      { path: 'at.exposure', message: '"everywhere" is not one of public, private, node, internal' },
      { path: 'at.role', message: expect.stringMatching(/^7 is not one of frontend, /) },
      { path: 'at.host', message: 'host must be a non-empty string' },
      { path: 'at.tls', message: 'tls must be true or false' },
    ]);
  });

  it('leaves a name that is not a setting to the caller', () => {
    expect(
      read([
        ['ports', '8080'],
        ['colour', 'red'],
      ]),
    ).toEqual({ settings: {}, problems: [], unknown: ['ports', 'colour'] });
  });
});
