import type { ApiKeyRecord } from '../api-key.store.js';
import { generateApiKey } from '../api-key.js';
import { KeyPresence } from '../protected-mode.js';
import { ApiKeyStrategy, LAST_USED_PRECISION_MS } from './api-key.strategy.js';

const KEY = generateApiKey();
const RECORD: ApiKeyRecord = {
  id: 'id-portal',
  name: 'portal',
  scopes: ['plans:read'],
  team: null,
  createdAt: new Date(0),
  revokedAt: null,
  lastUsedAt: null,
};

describe(ApiKeyStrategy.name, () => {
  it('records when a key was last used at most once per LAST_USED_PRECISION_MS, by the injected clock', async () => {
    let now = 1_000_000;
    const touched: Date[] = [];
    const store = {
      findByKey: (key: string) => Promise.resolve(key === KEY ? RECORD : null),
      touch: (_id: string, at: Date) => (touched.push(at), Promise.resolve()),
    };
    const strategy = new ApiKeyStrategy(store, new KeyPresence(() => Promise.resolve(1)), { now: () => now });
    const use = () => strategy.authenticate({ headers: { authorization: `Bearer ${KEY}` } });

    await use();
    now += LAST_USED_PRECISION_MS - 1;
    await use();
    now += 1;
    await use();

    expect(touched).toEqual([new Date(1_000_000), new Date(1_000_000 + LAST_USED_PRECISION_MS)]);
  });
});
