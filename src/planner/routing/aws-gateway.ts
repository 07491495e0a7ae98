import { objectMetadata } from '../manifest-conventions.js';
import type { Component, KubeObject, Topology } from '../types.js';
import type { GatewayInfrastructure } from './gateway-api.js';
import type { GatewayImplementation } from './gateway-classes.js';

/**
 * The AWS Load Balancer Controller's Gateway classes (gateway.k8s.aws/alb and /nlb) read the load
 * balancer and its target groups from the controller's own CRDs, with defaults the plan cannot
 * leave alone:
 *   - the scheme defaults to internal
 *     (https://github.com/kubernetes-sigs/aws-load-balancer-controller/blob/main/docs/guide/gateway/loadbalancerconfig.md,
 *     "Scheme ... Default internal"): a public Gateway needs a LoadBalancerConfiguration with
 *     scheme internet-facing, in the Gateway's namespace, named by the Gateway's
 *     spec.infrastructure.parametersRef (docs/guide/gateway/customization.md);
 *   - the target type defaults to instance (docs/guide/gateway/targetgroupconfig.md,
 *     "Configuration Resolution Order"), which needs a NodePort or LoadBalancer Service ("TargetGroup
 *     port is empty. When using Instance targets, your service must be of type 'NodePort' or
 *     'LoadBalancer'", pkg/gateway/model/model_build_target_group.go). The plan's backends are
 *     ClusterIP Services, so each gets a TargetGroupConfiguration (targetReference to the Service)
 *     with targetType ip: the ALB sends to the pod addresses.
 * Written as gateway.k8s.aws/v1beta1, which every controller from v2.14 (the version the plan asks
 * for) to v3.5 serves (config/crd/gateway in each tag; v3.5.0 adds v1 and deprecates v1beta1).
 */
export const AWS_GATEWAY_GROUP = 'gateway.k8s.aws';
export const AWS_GATEWAY_API_VERSION = `${AWS_GATEWAY_GROUP}/v1beta1`;

export function isAwsGatewayClass(implementation: Pick<GatewayImplementation, 'controllerName'>): boolean {
  return implementation.controllerName.startsWith(`${AWS_GATEWAY_GROUP}/`);
}

export function awsLoadBalancerConfigurationName(gatewayName: string): string {
  return `${gatewayName}-lb`;
}

/** What the plan's own AWS Gateway takes in spec.infrastructure: its LoadBalancerConfiguration. */
export function awsGatewayInfrastructure(gatewayName: string): GatewayInfrastructure {
  return {
    parametersRef: {
      group: AWS_GATEWAY_GROUP,
      kind: 'LoadBalancerConfiguration',
      name: awsLoadBalancerConfigurationName(gatewayName),
    },
  };
}

export function renderAwsLoadBalancerConfiguration(
  topology: Topology,
  gatewayName: string,
  scheme: 'internet-facing' | 'internal',
): KubeObject {
  return {
    apiVersion: AWS_GATEWAY_API_VERSION,
    kind: 'LoadBalancerConfiguration',
    metadata: objectMetadata(topology, awsLoadBalancerConfigurationName(gatewayName), topology.name, {}),
    spec: { scheme },
  };
}

/** One per routed backend Service: ip targets, since the Services are ClusterIP. */
export function renderAwsTargetGroupConfigurations(topology: Topology, routed: Component[]): KubeObject[] {
  const names = [...new Set(routed.map((component) => component.name))];
  return names.map((service) => ({
    apiVersion: AWS_GATEWAY_API_VERSION,
    kind: 'TargetGroupConfiguration',
    metadata: objectMetadata(topology, `${service}-targets`, service, {}),
    spec: { targetReference: { name: service }, defaultConfiguration: { targetType: 'ip' } },
  }));
}
