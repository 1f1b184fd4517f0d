import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type ExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string; [k: string]: unknown };
}

export interface Response<T> {
  status: number;
  data?: T | null;
  errors?: GraphQLErrorShape[];
}

/** A typed GraphQL client over real HTTP (fetch), as API users would have. */
export class HttpClient {
  constructor(
    readonly url: string,
    private readonly key?: string,
  ) {}

  async request<T, V>(document: TypedDocumentNode<T, V>, variables?: V, headers: Record<string, string> = {}): Promise<Response<T>> {
    const res = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.key ? { authorization: `Bearer ${this.key}` } : {}), ...headers },
      body: JSON.stringify({ query: print(document), variables }),
    });
    const body = (await res.json()) as { data?: T; errors?: GraphQLErrorShape[] };
    return { status: res.status, ...body };
  }

  /** The data of a request that must succeed. */
  async data<T, V>(document: TypedDocumentNode<T, V>, variables?: V): Promise<T> {
    const r = await this.request(document, variables);
    if (r.errors?.length || !r.data) throw new Error(`GraphQL errors: ${JSON.stringify(r.errors)}`);
    return r.data;
  }

  async raw(body: string | Uint8Array, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
    const res = await fetch(`${this.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.key ? { authorization: `Bearer ${this.key}` } : {}), ...headers },
      body,
    });
    return { status: res.status, body: await res.text() };
  }
}

/** graphql-ws over a real WebSocket. */
export function wsClient(url: string, key?: string): Client {
  return createClient({
    url: `${url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: key ? { authorization: `Bearer ${key}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

/** Collects a subscription's results until it completes (or `limit` results). */
export function collect<T, V>(client: Client, document: TypedDocumentNode<T, V>, variables: V, limit = 100): Promise<ExecutionResult<T>[]> {
  return new Promise((resolve, reject) => {
    const results: ExecutionResult<T>[] = [];
    const dispose = client.subscribe<T>(
      { query: print(document), variables: variables as Record<string, unknown> },
      {
        next: (r) => {
          if (results.length >= limit) return;
          results.push(r as ExecutionResult<T>);
          if (results.length >= limit) {
            dispose();
            resolve(results);
          }
        },
        error: reject,
        complete: () => resolve(results),
      },
    );
  });
}
