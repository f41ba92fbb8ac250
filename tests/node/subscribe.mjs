// A graphql-ws (graphql-transport-ws) client: node subscribe.mjs <ws-url> <token> <count> <timeout-ms>
// Subscribes to webservicebeskeder and prints one JSON line per event, then {"done": true}.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, count, timeoutMs] = process.argv.slice(2);
const wanted = Number(count);
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { Authorization: `Bearer ${token}` },
  retryAttempts: 0,
  lazy: false,
  onNonLazyError: (e) => { console.log(JSON.stringify({ error: String(e?.reason ?? e?.message ?? e) })); process.exit(2); },
});
const timer = setTimeout(() => { console.log(JSON.stringify({ timeout: true })); process.exit(3); }, Number(timeoutMs));
let seen = 0;
const query = 'subscription Koe { webservicebeskeder { id loebenummer beskedtype cpr indhold status } }';
client.subscribe({ query }, {
  next: (value) => {
    console.log(JSON.stringify(value));
    seen += 1;
    if (seen >= wanted) { clearTimeout(timer); client.dispose(); console.log(JSON.stringify({ done: true })); process.exit(0); }
  },
  error: (err) => { console.log(JSON.stringify({ error: Array.isArray(err) ? err : String(err?.reason ?? err) })); process.exit(4); },
  complete: () => {},
});
