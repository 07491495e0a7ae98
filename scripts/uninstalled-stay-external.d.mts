import type { Plugin } from 'esbuild';

/** A package import that does not resolve stays an import (scripts/uninstalled-stay-external.mjs). */
export declare const uninstalledStayExternal: Plugin;
