// Apollo Client with its persisted-queries link, as an integrator's app would use it.
// node apq.mjs <url> <token> <query> <get|post>
// Prints one JSON line: {hash, data, errors, requests: [{method, sentQuery, sentHash, status, codes}]}
import { ApolloClient, InMemoryCache, HttpLink, gql } from '@apollo/client/core/index.js';
import { createPersistedQueryLink } from '@apollo/client/link/persisted-queries/index.js';
import { createHash } from 'node:crypto';

const [url, token, query, method] = process.argv.slice(2);
const sha256 = (text) => createHash('sha256').update(text).digest('hex');
const requests = [];
let hash = null;

async function loggingFetch(input, init) {
  const target = new URL(typeof input === 'string' ? input : input.url);
  let body = {};
  if (init?.body) body = JSON.parse(init.body);
  else body = {
    query: target.searchParams.get('query') ?? undefined,
    extensions: target.searchParams.get('extensions') ? JSON.parse(target.searchParams.get('extensions')) : undefined,
  };
  const response = await fetch(input, init);
  const copy = await response.clone().json().catch(() => null);
  requests.push({
    method: init?.method ?? 'GET',
    sentQuery: typeof body.query === 'string',
    sentHash: body.extensions?.persistedQuery?.sha256Hash ?? null,
    status: response.status,
    codes: (copy?.errors ?? []).map((e) => e.extensions?.code ?? e.message),
  });
  hash = body.extensions?.persistedQuery?.sha256Hash ?? hash;
  return response;
}

const link = createPersistedQueryLink({ sha256, useGETForHashedQueries: method === 'get' }).concat(
  new HttpLink({ uri: url, fetch: loggingFetch, headers: { authorization: `Bearer ${token}` } }),
);
const client = new ApolloClient({ link, cache: new InMemoryCache(), defaultOptions: { query: { fetchPolicy: 'no-cache', errorPolicy: 'all' } } });
const result = await client.query({ query: gql(query) });
console.log(JSON.stringify({ hash, data: result.data ?? null, errors: result.errors ?? null, requests }));
