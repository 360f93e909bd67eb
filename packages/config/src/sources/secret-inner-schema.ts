import type { z } from 'zod';
import { secretInner } from '../schema/markers.js';
import { describeSchema } from '../schema/schema-walk.js';

/**
 * The schema that a `secret()` field wraps (`z.string()` unless another was given), so values for
 * it can be read like any other value of that type. Undefined when `schema` is not a secret.
 */
export function secretInnerSchema(schema: z.ZodType): z.ZodType | undefined {
  const node = describeSchema(schema);
  return node.kind === 'secret' ? secretInner(node.schema) : undefined;
}
