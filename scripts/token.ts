// `npm run token -- <email> [password] [--access] [--data-dir <dir>]`: signs in to the running local user pool with
// SRP (as Amplify and the deployed app client do; the password never leaves this process) and prints an ID token (or
// the access token) for curl:
//   curl -H "Authorization: $(npm run -s token -- alice@example.com)" ...
// Reads the pool's address from <data dir>/cognito/endpoint.json, written by `npm start` (the data folder is
// --data-dir, else DATA_DIR, else .data); without a password it uses the one configured for that local user.
import { parseArgs } from 'node:util';
import { CognitoAuthError, CognitoNetworkError, signIn } from '../client/src/auth';
import { readLocalCognito } from '../local/stores/cognito';

const USAGE = 'usage: npm run token -- <email> [password] [--access] [--data-dir <dir>]';

async function main(args: string[]): Promise<string> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  const [email, password, ...extra] = positionals;
  if (!email || extra.length > 0) throw new Error(USAGE);

  const dataDir = values['data-dir'] ?? process.env.DATA_DIR ?? '.data';
  const cognito = await readLocalCognito(dataDir);
  const secret = password ?? cognito.users.find((user) => user.email.toLowerCase() === email.toLowerCase())?.password;
  if (!secret)
    throw new Error(`${email} is not a configured local user; give its password: npm run token -- ${email} <password>`);

  try {
    const tokens = await signIn(cognito, email, secret);
    return values.access ? tokens.accessToken : tokens.idToken;
  } catch (error) {
    if (error instanceof CognitoAuthError) throw new Error(`Sign-in refused: ${error.code}: ${error.message}`);
    if (error instanceof CognitoNetworkError) {
      throw new Error(
        `The local user pool at ${cognito.endpoint} does not answer (is npm start running?): ${error.message}`,
      );
    }
    throw error;
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    options: { access: { type: 'boolean' }, 'data-dir': { type: 'string' } },
    allowPositionals: true,
    strict: true,
  });
}

main(process.argv.slice(2)).then(
  (token) => process.stdout.write(`${token}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
