import { z } from 'zod';
import { TrustPolicyInvalidError } from './integrity-errors.js';
import { keyIdOf } from './signing-key.js';

/**
 * Which plugin signatures a host accepts.
 *
 * `allowUnsigned` defaults to `false`: a host that verifies plugins at all should say out loud that
 * it also runs unsigned ones. It only covers plugins with no signature file; a signature that is
 * present must verify against a trusted key whatever its value.
 *
 * Each `trustedKeys` entry must be filed under its own key's id ({@link keyIdOf}), which catches a
 * key pasted under the wrong id when the policy is read rather than when a plugin fails to verify.
 */
export const TrustPolicySchema = z.object({
  /** Key id → Ed25519 public key as SPKI PEM. */
  trustedKeys: z
    .record(z.string(), z.string())
    .default({})
    .superRefine((keys, ctx) => {
      for (const [id, pem] of Object.entries(keys)) {
        let actual: string;
        try {
          actual = keyIdOf(pem);
        } catch {
          ctx.addIssue({ code: 'custom', path: [id], message: 'is not a PEM Ed25519 public key' });
          continue;
        }
        if (actual !== id) {
          ctx.addIssue({
            code: 'custom',
            path: [id],
            message: `holds the key whose id is ${actual}; file it under that id`,
          });
        }
      }
    }),
  /** Accept plugins without a signature file. Default `false`. */
  allowUnsigned: z.boolean().default(false),
});

/** A trust policy as given: both fields optional. */
export type TrustPolicyInput = z.input<typeof TrustPolicySchema>;

/** A trust policy with its defaults applied. */
export type TrustPolicy = z.output<typeof TrustPolicySchema>;

/**
 * Validates a trust policy and applies its defaults.
 *
 * @throws {@link TrustPolicyInvalidError} listing every problem with its field.
 */
export function parseTrustPolicy(input: TrustPolicyInput): TrustPolicy {
  const result = TrustPolicySchema.safeParse(input);
  if (result.success) return result.data;
  throw new TrustPolicyInvalidError(
    result.error.issues.map((issue) => {
      const [head, ...rest] = issue.path.map(String);
      const field =
        head === undefined ? '(policy)' : `${head}${rest.map((key) => `[${JSON.stringify(key)}]`).join('')}`;
      return `${field}: ${issue.message}`;
    }),
  );
}
