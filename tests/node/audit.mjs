// graphql-http's audit of a GraphQL over HTTP server: node audit.mjs <url>
// Prints one JSON line: [{id, name, status, reason}] for every audit.
import { auditServer } from 'graphql-http';

const url = process.argv[2];
const results = await auditServer({ url });
const out = [];
for (const r of results) {
  out.push({ id: r.id, name: r.name, status: r.status, reason: r.reason ?? null });
}
console.log(JSON.stringify(out));
