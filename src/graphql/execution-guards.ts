import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestDeadline } from '../common/request-deadline.js';
import { getNamedType, GraphQLError, isLeafType, type GraphQLResolveInfo } from './graphql-js.js';

/**
 * The largest answer one GraphQL request may build, measured as it is built (about its JSON text).
 * The largest plan there is (2,000 components) with every field and both forms of its manifests
 * is about 9 MB. Past it the request is refused as a whole: building 273 MB of answer took 2.5 GB
 * of memory and then failed anyway (V8's largest string is 512 MB).
 */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

export const ANSWER_TOO_LARGE = 'ANSWER_TOO_LARGE';

/** Why a GraphQL answer stopped being built, said to the client in place of the answer. */
export function answerTooLargeMessage(maxBytes: number): string {
  return (
    `The answer would be larger than ${maxBytes / 1024 / 1024} MiB, so it was not built. ` +
    'Ask for fewer plans (first), fewer aliases, or leave out manifests/manifestsYaml and fetch them one plan at a time.'
  );
}

/**
 * How much answer one request has built so far. Once past its maximum, no further field resolves
 * (each throws; the fields are non-null, so each error prunes its whole subtree) and the answer is
 * replaced by one clear error.
 */
export class AnswerBudget {
  private bytes = 0;

  constructor(readonly maxBytes: number = MAX_ANSWER_BYTES) {}

  get exceeded(): boolean {
    return this.bytes > this.maxBytes;
  }

  add(bytes: number): void {
    this.bytes += bytes;
  }

  /** Throws once the answer is past its maximum: checked before each field resolves. */
  ensureRoom(): void {
    if (this.exceeded) {
      throw new GraphQLError(answerTooLargeMessage(this.maxBytes), {
        extensions: { code: ANSWER_TOO_LARGE, maxBytes: this.maxBytes },
      });
    }
  }
}

/** What the guards need of the per-request context (GraphqlContext has both). */
export type GuardedContext = { answer?: AnswerBudget; deadline?: RequestDeadline };

// A JSON scalar's text length, once per object: aliases and repeated loads of one plan share it.
const jsonLengths = new WeakMap<object, number>();

/** About the length of a resolved field as JSON. */
export function answerBytes(value: unknown, info: Pick<GraphQLResolveInfo, 'fieldName' | 'returnType'>): number {
  // `"name":` and a comma: the field's own share of the answer.
  const key = info.fieldName.length + 4;
  if (typeof value === 'string') {
    return key + value.length + 2;
  }
  if (typeof value !== 'object' || value === null) {
    return key + 8;
  }
  if (!isLeafType(getNamedType(info.returnType))) {
    // An object or a list of objects: its own fields are measured as they resolve.
    return key + 2;
  }
  // A JSON scalar (manifests, labels, pricing) or a list of leaves: its text, whole.
  let length = jsonLengths.get(value);
  if (length === undefined) {
    length = JSON.stringify(value).length;
    jsonLengths.set(value, length);
  }
  return key + length;
}

/**
 * Two checks between fields, through Apollo's per-field hook (every field of our types; those of
 * introspection answer the schema, whose size is fixed):
 *   - the request's deadline: past it nothing more resolves, and the answer is the deadline's 503;
 *   - the answer's size: each resolved field is measured; past MAX_ANSWER_BYTES nothing more
 *     resolves, and the answer is replaced by one ANSWER_TOO_LARGE error, HTTP 400 (the client
 *     must ask for less; a partial answer cut at an arbitrary field would be worse than none).
 */
export function executionGuardsPlugin(): ApolloServerPlugin<GuardedContext> {
  return {
    requestDidStart() {
      return Promise.resolve({
        executionDidStart() {
          return Promise.resolve({
            willResolveField({ contextValue, info }) {
              contextValue.deadline?.check();
              const budget = contextValue.answer;
              if (budget === undefined) {
                return;
              }
              budget.ensureRoom();
              return (error, result) => {
                if (error === null) {
                  budget.add(answerBytes(result, info));
                }
              };
            },
          });
        },
        async willSendResponse({ contextValue, response }) {
          if (contextValue.deadline?.signal.aborted) {
            // The client gets the deadline's 503 problem, like on every transport, not fields
            // failed one by one. Its timer is due (fields saw the time was up before it could fire,
            // during synchronous work): a timer set now fires after it, and this answer is dropped.
            await new Promise((resolve) => setTimeout(resolve, 0));
            return;
          }
          const budget = contextValue.answer;
          if (budget?.exceeded) {
            response.body = {
              kind: 'single',
              singleResult: {
                errors: [
                  {
                    message: answerTooLargeMessage(budget.maxBytes),
                    extensions: { code: ANSWER_TOO_LARGE, maxBytes: budget.maxBytes },
                  },
                ],
              },
            };
            response.http.status = 400;
          }
        },
      });
    },
  };
}
