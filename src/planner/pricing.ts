import { z } from 'zod';
import type { Platform } from './types.js';

/**
 * What one provider charges for the things a Service type creates. Every figure is USD and hourly
 * unless its name says otherwise. HELPER H2 OWNS THIS FILE: fill the table, keep the exported names.
 */
export type ProviderPricing = {
  /** What a LoadBalancer Service becomes here, e.g. "AWS Network Load Balancer". */
  product: string;
  loadBalancerHourly: number;
  /** Capacity units (AWS NLCU/LCU): the hourly price of one, and how many a small service uses. */
  capacityUnitName?: string;
  capacityUnitHourly: number;
  assumedCapacityUnits: number;
  /** Public IPv4 addresses: the hourly price of one, and how many an internet-facing LB holds. */
  publicIpv4Hourly: number;
  publicIpsPerLoadBalancer: number;
  source: string;
  asOf: string;
};

export type PricingTable = {
  currency: 'USD';
  hoursPerMonth: number;
  /** The date of the table as a whole: the newest of the providers' dates. */
  asOf: string;
  source: string;
  providers: Record<Platform, ProviderPricing>;
};

export const providerPricingOverrideSchema = z
  .object({
    product: z.string().min(1).max(200),
    loadBalancerHourly: z.number().nonnegative().max(1000),
    capacityUnitName: z.string().min(1).max(50),
    capacityUnitHourly: z.number().nonnegative().max(1000),
    assumedCapacityUnits: z.number().nonnegative().max(10_000),
    publicIpv4Hourly: z.number().nonnegative().max(1000),
    publicIpsPerLoadBalancer: z.number().int().nonnegative().max(100),
    source: z.string().min(1).max(500),
    asOf: z.string().min(1).max(40),
  })
  .partial()
  .strict();

/** Prices a request (or the server's configuration) puts over the built-in table, per provider. */
export const pricingOverrideSchema = z
  .object({
    source: z.string().min(1).max(500).optional(),
    asOf: z.string().min(1).max(40).optional(),
    providers: z
      .partialRecord(z.enum(['aws', 'gcp', 'azure', 'digitalocean', 'other-cloud', 'bare-metal', 'kind', 'minikube', 'k3s']), providerPricingOverrideSchema)
      .optional(),
  })
  .strict();
export type PricingOverride = z.infer<typeof pricingOverrideSchema>;

export declare function resolvePricing(...overrides: (PricingOverride | undefined)[]): PricingTable;
