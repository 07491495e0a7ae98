import { DomainError } from '../common/domain-error.js';
import { negotiateManifestFormat, parseManifestFormatQuery } from './manifest-format.js';

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

describe(parseManifestFormatQuery.name, () => {
  it.each([
    [undefined, undefined],
    ['yaml', 'yaml'],
    ['json', 'json'],
    ['kustomize', 'kustomize'],
  ] as const)('?format=%j → %j', (format, expected) => {
    expect(parseManifestFormatQuery(format)).toBe(expected);
  });

  it.each(['', 'KUSTOMIZE', 'tar', 'helm', ['yaml', 'json']])('?format=%j is a 400 naming every format', (format) => {
    const error = (() => {
      try {
        parseManifestFormatQuery(format);
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'VALIDATION_FAILED',
      problems: [{ path: 'format', message: 'must be one of yaml, json, kustomize' }],
    });
  });
});
