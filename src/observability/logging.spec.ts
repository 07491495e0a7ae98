import { generateApiKey } from '../auth/api-key.js';
import { REDACTED } from './log-redaction.js';
import { processLoggerWritingTo } from './logging.js';

describe(processLoggerWritingTo.name, () => {
  it('writes no API key quoted in a message or a field, whatever the call', () => {
    const lines: string[] = [];
    const logger = processLoggerWritingTo({ write: (line: string) => lines.push(line) });
    const key = generateApiKey();

    logger.warn(`GET /v1/plans/${key}: the database is unreachable`);
    logger.info({ note: `?q=${key}` }, 'with %s', key);

    const logged = lines.map((line) => JSON.parse(line) as { msg: string; note?: string });
    expect(lines.join('')).not.toContain(key.slice(3));
    expect(logged[0]?.msg).toBe(`GET /v1/plans/${REDACTED}: the database is unreachable`);
    expect(logged[1]).toMatchObject({ msg: `with ${REDACTED}`, note: `?q=${REDACTED}` });
  });
});
