/**
 * GraphiQL for Continuo's API, served at /graphql to a browser (outside production). Everything it
 * needs is in this bundle, its editor's workers too: it works on a server with no internet.
 */
import 'graphiql/setup-workers/vite';
import 'graphiql/style.css';
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { keyFromFragment, storedKey } from './key.js';

const DEFAULT_QUERY = `# Continuo's GraphQL API. Put your API key into Headers below
# ({ "Authorization": "Bearer <key>" }); the models and samples need none.
query Models {
  models { id name genre }
}
`;

const key = keyFromFragment() ?? storedKey();
const fetcher = createGraphiQLFetcher({
  url: '/graphql',
  // Subscriptions go over graphql-ws on the same path; the headers become its connection params.
  subscriptionUrl: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`,
});

createRoot(document.getElementById('ide')!).render(
  createElement(GraphiQL, {
    fetcher,
    defaultQuery: DEFAULT_QUERY,
    // The studio's key, when this browser has one (without a key, public queries still work).
    ...(key ? { defaultHeaders: JSON.stringify({ Authorization: `Bearer ${key}` }, null, 2) } : {}),
  }),
);
