// GraphQL Code Generator as a frontend team runs it, for several schemas in one process:
//   node codegen.mjs <jobs.json>    jobs: [{"schema": "...graphql", "documents": ["...graphql"], "out": "...ts"}]
// Each job: the schema's types (plugin typescript) and its documents' operation types
// (typescript-operations). Prints one JSON line per job: {"out", "ok", "error"} (codegen's own message).
import { readFileSync } from 'node:fs';
import { generate } from '@graphql-codegen/cli';

const jobs = JSON.parse(readFileSync(process.argv[2], 'utf8'));
for (const { schema, documents, out } of jobs) {
  try {
    await generate({
      schema,
      documents,
      silent: true,
      generates: {
        [out]: {
          plugins: ['typescript', 'typescript-operations'],
          config: { scalars: { Date: 'string', DateTime: 'string', JSON: 'unknown', _Any: 'unknown' } },
        },
      },
    }, true);
    console.log(JSON.stringify({ out, ok: true }));
  } catch (error) {
    const messages = [String(error?.message ?? error), ...(error?.errors ?? []).map((e) => String(e?.message ?? e))];
    console.log(JSON.stringify({ out, ok: false, error: messages.join('\n') }));
  }
}
