#!/usr/bin/env node
// The `exposure-planner` command. In a checkout with its dev dependencies, the TypeScript source
// runs through tsx (so it is never a stale build); elsewhere (an installed package, the production
// image) the compiled CLI in dist/ runs.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const source = new URL('../src/cli/exposure-planner.ts', import.meta.url);
if (existsSync(fileURLToPath(source)) && hasTsx()) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/src/cli/exposure-planner.js', import.meta.url).href);
}

function hasTsx() {
  try {
    createRequire(import.meta.url).resolve('tsx/esm/api');
    return true;
  } catch {
    return false;
  }
}
