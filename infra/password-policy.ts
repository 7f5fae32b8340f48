// The user pool's password rules, in one place without CDK imports: the deployed pool (constructs/auth.ts), the
// outputs file apps read (notes-stack.ts) and the local pool (local/stores/cognito) all apply these.

/** In CDK's terms (aws-cognito PasswordPolicy), minus the temporary-password validity, which is a Duration there. */
export const PASSWORD_POLICY = {
  minLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: true,
} as const;

/** How long an administrator-set temporary password stays usable. */
export const TEMPORARY_PASSWORD_VALIDITY_DAYS = 3;
