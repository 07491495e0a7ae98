import { ensureTestTemplate, TEST_TEMPLATE_DIR } from './embedded-database.js';

// global-setup.ts runs this before the tests: node --import tsx test/support/make-test-template.ts
if (await ensureTestTemplate()) {
  console.log(`made the tests' PGlite template: ${TEST_TEMPLATE_DIR}`);
}
