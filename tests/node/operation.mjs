// A graphql-ws (graphql-transport-ws) client running queries and mutations over one WebSocket:
// node operation.mjs <ws-url> <token> <operations-json>, where operations-json is a list of
// {"query": ..., "variables": {...}} run one after another on the same connection.
// Prints one JSON line per result ({"result": ...} or {"error": ...}), then {"done": true}.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, operations] = process.argv.slice(2);
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { Authorization: `Bearer ${token}` },
  retryAttempts: 0,
});
const timer = setTimeout(() => { console.log(JSON.stringify({ timeout: true })); process.exit(3); }, 20000);
for (const operation of JSON.parse(operations)) {
  const result = await new Promise((resolve) => {
    let last = null;
    client.subscribe(operation, {
      next: (value) => { last = value; },
      error: (err) => resolve({ error: Array.isArray(err) ? err : String(err?.reason ?? err) }),
      complete: () => resolve({ result: last }),
    });
  });
  console.log(JSON.stringify(result));
}
clearTimeout(timer);
await client.dispose();
console.log(JSON.stringify({ done: true }));
process.exit(0);
