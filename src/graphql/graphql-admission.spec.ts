import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Admission } from '../auth/auth.guard.js';
import type { Principal } from '../auth/principal.js';
import { setPrincipal } from '../auth/request-principal.js';
import { DomainError } from '../common/domain-error.js';
import { admittedPrincipal, graphqlAdmission } from './graphql-admission.js';
import { GraphQLError } from './graphql-js.js';

const KEY: Principal = { kind: 'api-key', keyId: 'k', name: 'portal', scopes: ['plans:read'], team: null };

/** A guard whose verdict the test chooses, recording what it was asked. */
function guard(verdict: Principal | Error) {
  const asked: Admission[] = [];
  return {
    asked,
    admit: (request: FastifyRequest, _reply: FastifyReply, admission: Admission) => {
      asked.push(admission);
      if (verdict instanceof Error) {
        return Promise.reject(verdict);
      }
      setPrincipal(request, verdict);
      return Promise.resolve(verdict);
    },
  };
}

const fakeRequest = () => ({ headers: {} }) as FastifyRequest;
const reply = {} as FastifyReply;

describe(graphqlAdmission.name, () => {
  it('admits the HTTP request once with the default credentials, leaving scopes to each operation', async () => {
    const door = guard(KEY);
    const request = fakeRequest();
    await graphqlAdmission(door)(request, reply);
    expect(door.asked).toEqual([{ credentials: { strategies: ['api-key', 'loopback'] } }]);
    expect(admittedPrincipal(request)).toEqual(KEY);
  });

  it('keeps a refusal for the context to answer as the whole request: HTTP status, headers, one error', async () => {
    const request = fakeRequest();
    await graphqlAdmission(guard(DomainError.unauthenticated('An API key is required.', 'Bearer realm="r"')))(
      request,
      reply,
    );
    const thrown = (() => {
      try {
        admittedPrincipal(request);
      } catch (error) {
        return error;
      }
    })() as GraphQLError;
    expect(thrown).toBeInstanceOf(GraphQLError);
    expect(thrown.extensions).toMatchObject({ code: 'UNAUTHENTICATED', http: { status: 401 } });
  });

  it('lets a bug through as a bug, not as a refusal', async () => {
    await expect(graphqlAdmission(guard(new TypeError('oops')))(fakeRequest(), reply)).rejects.toThrow(TypeError);
  });

  it('fails closed for a request the front door never saw', () => {
    expect(() => admittedPrincipal(fakeRequest())).toThrow(/not authenticated/);
  });
});
