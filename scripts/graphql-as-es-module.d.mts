import type { Plugin } from 'esbuild';

/** graphql, imported or required, bundled from its ES modules, once (scripts/graphql-as-es-module.mjs). */
export declare const graphqlAsEsModule: Plugin;
