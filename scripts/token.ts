// `npm run token -- <email> [password] [--access]`: signs in to the running local user pool (as a web client does)
// and prints an ID token (or the access token) for curl:
//   curl -H "Authorization: $(npm run -s token -- alice@example.com)" ...
// Reads the pool's address from <DATA_DIR>/cognito/endpoint.json, written by `npm start`; without a password it
// uses the one configured for that local user.
import { CognitoApiError, readLocalCognito, signIn } from '../local/stores/cognito';

const USAGE = 'usage: npm run token -- <email> [password] [--access]';

async function main(args: string[]): Promise<string> {
  const access = args.includes('--access');
  const [email, password, ...extra] = args.filter((arg) => arg !== '--access');
  if (!email || extra.length > 0 || email.startsWith('-')) throw new Error(USAGE);

  const dataDir = process.env.DATA_DIR ?? '.data';
  const cognito = await readLocalCognito(dataDir);
  const secret = password ?? cognito.users.find((user) => user.email.toLowerCase() === email.toLowerCase())?.password;
  if (!secret)
    throw new Error(`${email} is not a configured local user; give its password: npm run token -- ${email} <password>`);

  try {
    const tokens = await signIn(cognito, email, secret);
    return access ? tokens.accessToken : tokens.idToken;
  } catch (error) {
    if (error instanceof CognitoApiError) throw new Error(`Sign-in refused: ${error.message}`);
    throw new Error(
      `The local Cognito at ${cognito.endpoint} does not answer (is npm start running?): ${String(error)}`,
    );
  }
}

main(process.argv.slice(2)).then(
  (token) => process.stdout.write(`${token}\n`),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
