import { z } from 'zod';
import { EVENT_DETAIL_SCHEMAS } from './event-schemas';

/** One JSON Schema per event type, keyed `<source>/<DetailType>`, generated from the zod schemas. */
export function eventJsonSchemas(): Record<string, object> {
  const schemas: Record<string, object> = {};
  for (const [source, types] of Object.entries(EVENT_DETAIL_SCHEMAS)) {
    for (const [detailType, schema] of Object.entries(types)) {
      schemas[`${source}/${detailType}`] = {
        ...z.toJSONSchema(schema as z.ZodType, { target: 'draft-2020-12' }),
        title: `${detailType} (${source})`,
        description: `The detail of an EventBridge event with source ${source} and detail-type ${detailType}`,
      };
    }
  }
  return schemas;
}
