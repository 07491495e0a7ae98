import { accessOf, hasScope, SCOPES, type Principal, type Scope } from './principal.js';

const key = (scopes: Scope[], team: string | null): Principal => ({
  kind: 'api-key',
  keyId: 'id',
  name: 'k',
  scopes,
  team,
});

describe(hasScope.name, () => {
  it('grants exactly the scopes a key holds, and admin holds every scope', () => {
    const reader = key(['plans:read'], null);
    expect(hasScope(reader, 'plans:read')).toBe(true);
    expect(hasScope(reader, 'plans:write')).toBe(false);
    expect(hasScope(reader, 'admin')).toBe(false);
    // plans:write does not imply reading.
    expect(hasScope(key(['plans:write'], null), 'plans:read')).toBe(false);
    const admin = key(['admin'], null);
    expect(SCOPES.every((s) => hasScope(admin, s))).toBe(true);
  });

  it('grants everything to a protected-mode loopback caller (no key exists yet)', () => {
    expect(hasScope({ kind: 'loopback' }, 'admin')).toBe(true);
  });
});

describe(accessOf.name, () => {
  it.each([
    [key(['plans:read'], 'payments'), { team: 'payments', all: false }],
    [key(['plans:read', 'plans:write'], null), { team: null, all: false }],
    [key(['admin'], null), { team: null, all: true }],
    [key(['admin'], 'payments'), { team: 'payments', all: true }],
    [
      { kind: 'chat', platform: 'slack', team: 'search', scopes: ['plans:read'] },
      { team: 'search', all: false },
    ],
    [{ kind: 'loopback' }, { team: null, all: true }],
  ] as [Principal, unknown][])('%j → %j', (principal, access) => {
    expect(accessOf(principal)).toEqual(access);
  });
});
