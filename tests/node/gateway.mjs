// A federated graph around dfdg, as integrators run it:
//   node gateway.mjs <dfdg-graphql-url> [router-token]
// 1. starts a tiny second subgraph (@apollo/subgraph) that extends Borger (by cpr) and
//    Virksomhed (by cvrNummer) with one field each;
// 2. composes both subgraphs' SDL (dfdg's from its _service { sdl }) with @apollo/composition,
//    and checks that @theguild/federation-composition composes them too; with introspection off
//    (DFDG_INTROSPECTION=0) dfdg gives its SDL to an authenticated caller only, so the router
//    fetches it with its own credential (router-token), never a caller's;
// 3. serves the supergraph through @apollo/gateway, forwarding the caller's Authorization header.
// Prints one JSON line {gateway, subgraph, apollo, guild} and runs until it is terminated.
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { composeServices } from '@apollo/composition';
import { composeServices as guildCompose } from '@theguild/federation-composition';
import { parse } from 'graphql';
import gql from 'graphql-tag';

const dfdgUrl = process.argv[2];
const routerToken = process.argv[3];

const typeDefs = gql`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])

  type Borger @key(fields: "cpr") {
    cpr: String!
    "Fra et andet system: sagens note (afledt af CPR-nummerets fødselsdato)."
    sagsnote: String!
  }

  type Virksomhed @key(fields: "cvrNummer") {
    cvrNummer: String!
    "Fra et andet system: branchekode."
    branchekode: String!
  }
`;
export const sagsnote = (cpr) => `Note ${cpr.slice(0, 6)}`;
export const branchekode = (cvr) => `47${cvr.slice(-4)}`;
const resolvers = {
  Borger: { __resolveReference: ({ cpr }) => ({ cpr, sagsnote: sagsnote(cpr) }) },
  Virksomhed: { __resolveReference: ({ cvrNummer }) => ({ cvrNummer, branchekode: branchekode(cvrNummer) }) },
};
const subgraph = new ApolloServer({ schema: buildSubgraphSchema({ typeDefs, resolvers }) });
const { url: subgraphUrl } = await startStandaloneServer(subgraph, { listen: { host: '127.0.0.1', port: 0 } });

const response = await fetch(dfdgUrl, {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    ...(routerToken ? { authorization: `Bearer ${routerToken}` } : {}),
  },
  body: JSON.stringify({ query: '{ _service { sdl } }' }),
});
const sdlResponse = await response.json();
if (!sdlResponse.data) {
  console.log(JSON.stringify({ sdl: sdlResponse.errors }));
  process.exit(1);
}
const dfdgSdl = sdlResponse.data._service.sdl;

const services = [
  { name: 'dfdg', url: dfdgUrl, typeDefs: parse(dfdgSdl) },
  { name: 'ekstern', url: subgraphUrl, typeDefs },
];
const apollo = composeServices(services);
if (apollo.errors) {
  console.log(JSON.stringify({ apollo: apollo.errors.map(String) }));
  process.exit(1);
}
const guild = guildCompose(services);
const guildResult = guild.errors ? guild.errors.map(String) : 'ok';

const gateway = new ApolloGateway({
  supergraphSdl: apollo.supergraphSdl,
  buildService: ({ url }) => new RemoteGraphQLDataSource({
    url,
    willSendRequest({ request, context }) {
      if (context.authorization) request.http.headers.set('authorization', context.authorization);
    },
  }),
});
const server = new ApolloServer({ gateway });
const { url: gatewayUrl } = await startStandaloneServer(server, {
  listen: { host: '127.0.0.1', port: 0 },
  context: async ({ req }) => ({ authorization: req.headers.authorization }),
});
console.log(JSON.stringify({ gateway: gatewayUrl, subgraph: subgraphUrl, apollo: 'ok', guild: guildResult }));
process.on('SIGTERM', async () => { await server.stop(); await subgraph.stop(); process.exit(0); });
