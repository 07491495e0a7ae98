import { negotiateManifestFormat } from './manifest-format.js';

describe(negotiateManifestFormat.name, () => {
  it.each([
    [undefined, 'yaml'],
    ['', 'yaml'],
    ['*/*', 'yaml'],
    ['application/json', 'json'],
    ['application/json; charset=utf-8', 'json'],
    ['application/yaml', 'yaml'],
    ['text/yaml', 'yaml'],
    ['application/json, application/yaml', 'yaml'],
    ['application/yaml;q=0.5, application/json', 'json'],
    ['application/json;q=0.9, application/yaml;q=0.1', 'json'],
    ['application/json;q=0', 'yaml'],
    ['text/html', 'yaml'],
  ] as const)('Accept %j → %s', (accept, expected) => {
    expect(negotiateManifestFormat(accept)).toBe(expected);
  });
});
