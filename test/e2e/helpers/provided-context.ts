// Values a run's global setup hands to every test file (vitest's provide/inject).
declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by the DynamoDB Local run's global setup: every server in the run uses that store instead of dynalite. */
    dynamodbEndpoint?: string;
    /**
     * Set by the CDK run's global setup (test/e2e/global-setup.cdk.ts): the template `cdk synth` made of infra/, which
     * every server in the run serves instead of appsync-local.config.ts's definition.
     */
    cdkTemplate?: string;
  }
}

export {};
