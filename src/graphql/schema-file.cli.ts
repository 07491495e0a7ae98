import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SCHEMA_FILE } from './graphql.options.js';
import { printSchemaSdl } from './schema-file.js';

// `npm run schema:gql`: regenerate the committed schema from the code.
const target = join(process.cwd(), SCHEMA_FILE);
await writeFile(target, await printSchemaSdl());
console.log(`Wrote ${target}`);
