import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { eventJsonSchemas } from '../../shared/contracts/event-json-schemas';
import { PROJECT_ROOT } from '../constructs/oms-function';

/** `npm run schemas`: writes schemas/events/<source>/<DetailType>.json from the zod event schemas. */
for (const [name, schema] of Object.entries(eventJsonSchemas())) {
  const file = path.join(PROJECT_ROOT, 'schemas', 'events', `${name}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
  console.log(`wrote ${path.relative(PROJECT_ROOT, file)}`);
}
