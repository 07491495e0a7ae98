import { PRINCIPAL_KEY, type Principal } from './principal.js';

/** The Principal the auth guard set on a request (GraphQL's through its front door), if any. */
export function getPrincipal(request: object): Principal | undefined {
  return (request as Record<string, Principal | undefined>)[PRINCIPAL_KEY];
}

export function setPrincipal(request: object, principal: Principal): void {
  (request as Record<string, Principal>)[PRINCIPAL_KEY] = principal;
}
