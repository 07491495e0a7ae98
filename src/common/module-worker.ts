import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * A worker thread running one of the app's modules, named by its JavaScript file beside the
 * caller (`new URL('./x.js', import.meta.url)`): in tsc's dist/src and in the bundle, where the
 * build makes each such module an entry point of its own (scripts/bundle.mjs).
 *
 * A thread cannot load TypeScript by itself: run from source (vitest, tsx), the caller's URL ends
 * in `.ts`, and the thread registers tsx (a dev dependency) before it imports the module's `.ts`.
 */
export function spawnModuleWorker(
  callerUrl: string,
  moduleFile: string,
  options: { workerData?: Record<string, unknown>; resourceLimits?: ResourceLimits } = {},
): Worker {
  if (!callerUrl.endsWith('.ts')) {
    return new Worker(new URL(`./${moduleFile}.js`, callerUrl), options);
  }
  return new Worker(FROM_SOURCE, {
    eval: true,
    ...(options.resourceLimits === undefined ? {} : { resourceLimits: options.resourceLimits }),
    // The module reads its own keys of workerData as it would from the build; these two are extra.
    workerData: {
      ...options.workerData,
      module: new URL(`./${moduleFile}.ts`, callerUrl).href,
      tsx: import.meta.resolve('tsx/esm/api'),
    },
  });
}

const FROM_SOURCE = `
const { workerData } = require('node:worker_threads');
import(workerData.tsx).then(({ register }) => {
  register();
  return import(workerData.module);
});
`;
