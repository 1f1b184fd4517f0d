import type { Client } from 'graphql-ws';
import type { TypedDocumentString } from './generated/graphql';

/** A GraphQL error as the API sends it: a message saying what to fix and a stable code. */
export class ApiError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

function firstError(errors: GraphQLResponse<unknown>['errors']): ApiError | undefined {
  const e = errors?.[0];
  return e ? new ApiError(e.message, e.extensions?.code ?? 'ERROR') : undefined;
}

/** Typed GraphQL over HTTP (queries, mutations) and graphql-ws (subscriptions, loaded when first used). */
export class Api {
  private ws?: Promise<Client>;
  private wsKey?: string | null;

  constructor(private key: () => string | null) {}

  async request<T, V>(document: TypedDocumentString<T, V>, variables?: V): Promise<T> {
    const key = this.key();
    let res: Response;
    try {
      res = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
        body: JSON.stringify({ query: document.toString(), variables }),
      });
    } catch {
      throw new ApiError('the service does not answer; is `continuo serve` running?', 'NETWORK');
    }
    let body: GraphQLResponse<T>;
    try {
      body = (await res.json()) as GraphQLResponse<T>;
    } catch {
      throw new ApiError(`the service answered ${res.status} without a GraphQL body`, 'BAD_RESPONSE');
    }
    const error = firstError(body.errors);
    if (error) throw error;
    if (!body.data) throw new ApiError('the service answered without data', 'BAD_RESPONSE');
    return body.data;
  }

  private client(): Promise<Client> {
    const key = this.key();
    if (this.ws && this.wsKey === key) return this.ws;
    void this.ws?.then((c) => c.dispose());
    this.wsKey = key;
    this.ws = import('graphql-ws').then(({ createClient }) =>
      createClient({
        url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
        connectionParams: key ? { authorization: `Bearer ${key}` } : {},
        lazy: true,
        retryAttempts: 2,
      }),
    );
    return this.ws;
  }

  /**
   * Calls `next` for every event of a subscription until it completes; resolves then, rejects with the
   * API's error. The returned `cancel` stops it.
   */
  subscribe<T, V>(document: TypedDocumentString<T, V>, variables: V, next: (data: T) => void): { done: Promise<void>; cancel: () => void } {
    let cancel = (): void => undefined;
    const done = this.client().then(
      (client) =>
        new Promise<void>((resolve, reject) => {
          cancel = client.subscribe<T>(
            { query: document.toString(), variables: variables as Record<string, unknown> },
            {
              next: (result) => {
                const error = firstError(result.errors as GraphQLResponse<unknown>['errors']);
                if (error) reject(error);
                else if (result.data) next(result.data);
              },
              error: (e: unknown) => reject(e instanceof Error ? e : new ApiError('the live connection to the service failed', 'NETWORK')),
              complete: resolve,
            },
          );
        }),
    );
    return { done, cancel: () => cancel() };
  }
}
