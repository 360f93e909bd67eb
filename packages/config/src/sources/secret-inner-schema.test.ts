import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { secret } from '../schema/markers.js';
import { describeSchema } from '../schema/schema-walk.js';
import { secretInnerSchema } from './secret-inner-schema.js';

describe('secretInnerSchema', () => {
  it('finds the schema a secret wraps, through optional', () => {
    expect(describeSchema(secretInnerSchema(secret()) as z.ZodType).kind).toBe('string');
    expect(describeSchema(secretInnerSchema(secret(z.number()).optional()) as z.ZodType).kind).toBe('number');
  });

  it('is undefined for other schemas', () => {
    expect(secretInnerSchema(z.string())).toBeUndefined();
  });
});
