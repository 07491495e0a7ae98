/**
 * Security findings for a plan: the catalog (ids, severities, wording, catalog.ts), the checks
 * that judge a plan's rendered objects (checks.ts), and the readers of those objects
 * (manifest-reading.ts).
 */
export { FINDING_CATALOG, FINDING_IDS, fillTemplate, type FindingCatalogEntry, type FindingId } from './catalog.js';
export { assessSecurity, canProvisionLoadBalancer } from './checks.js';
export { networkPolicySelects } from './manifest-reading.js';
