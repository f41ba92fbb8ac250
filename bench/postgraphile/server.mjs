// PostGraphile v5 on the benchmark database: the amber preset over schema "public", served by
// grafserv on node:http. Run by Node 22 from bench/.work (see bench/postgraphile.py).
//   DATABASE_URL=postgres://… PORT=… HOST=127.0.0.1 node server.mjs
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";

const port = Number(process.env.PORT ?? 5678);
const host = process.env.HOST ?? "127.0.0.1";

const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      poolConfig: { max: Number(process.env.POOL_SIZE ?? 10) },
    }),
  ],
  grafserv: { port, host, graphqlPath: "/graphql", graphiql: false, watch: false, maxRequestLength: 1_000_000 },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.on("error", (e) => { console.error(e); process.exit(1); });
await serv.addTo(server);
server.listen(port, host, () => console.log(`postgraphile listening on http://${host}:${port}/graphql`));
