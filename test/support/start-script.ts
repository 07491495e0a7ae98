import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The runtime `npm start` gives the service: the environment variables and node flags of its
 * script in package.json (`NAME=value … node --flag … dist/bundle/main.js`). A bench that starts the
 * service some other way passes them too, so it measures the service as it runs in production: V8's
 * young-generation size alone changed how many garbage collections a POST costs fourfold.
 */
export function startScriptRuntime(): { env: Record<string, string>; nodeFlags: string[] } {
  const manifest = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const words = (manifest.scripts?.start ?? '').trim().split(/\s+/);
  const env: Record<string, string> = {};
  let at = 0;
  for (; at < words.length && /^[A-Z_][A-Z0-9_]*=/.test(words[at] ?? ''); at++) {
    const [name = '', ...value] = (words[at] ?? '').split('=');
    env[name] = value.join('=');
  }
  if (words[at] !== 'node') {
    throw new Error(`package.json's start script does not run node after its variables: ${manifest.scripts?.start}`);
  }
  const nodeFlags: string[] = [];
  for (at++; at < words.length && (words[at] ?? '').startsWith('--'); at++) {
    nodeFlags.push(words[at] ?? '');
  }
  return { env, nodeFlags };
}
