// Two steps, as Cognito has them: create the account, then confirm it with the code sent to the email address
// (locally, `npm start` prints the code in its log). Then the new user is signed in.
import { useId, useState, type FormEvent } from 'react';
import { ErrorMessage } from '../components/ErrorMessage';
import { LoaderButton } from '../components/LoaderButton';
import { useBackend } from '../lib/backend';
import { confirmSignUp, signUp } from '../lib/cognito';
import { followLink, navigate } from '../lib/router';

export function SignUp() {
  const { config, session } = useBackend();
  const id = useId();
  const [step, setStep] = useState<'account' | 'code'>('account');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  }

  function createAccount(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const { confirmed } = await signUp(config.userPool, email.trim(), password);
      if (confirmed) await finish();
      else setStep('code');
    });
  }

  function confirm(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      await confirmSignUp(config.userPool, email.trim(), code.trim());
      await finish();
    });
  }

  async function finish() {
    await session.signIn(email.trim(), password);
    navigate('/', { replace: true });
  }

  if (step === 'code') {
    return (
      <main className="page narrow">
        <h1>Confirm your email</h1>
        <form className="card form" onSubmit={confirm} aria-label="Confirm your email">
          <p id={`${id}-code-hint`}>
            We sent a code to <strong>{email}</strong>. Running locally? <code>npm start</code> prints it in its log.
          </p>
          <div className="field">
            <label htmlFor={`${id}-code`}>Confirmation code</label>
            <input
              id={`${id}-code`}
              inputMode="numeric"
              autoComplete="one-time-code"
              required
              aria-describedby={`${id}-code-hint`}
              value={code}
              onChange={(event) => setCode(event.target.value)}
            />
          </div>
          <ErrorMessage error={error} />
          <LoaderButton type="submit" busy={busy} busyLabel="Confirming…">
            Confirm and sign in
          </LoaderButton>
        </form>
      </main>
    );
  }

  return (
    <main className="page narrow">
      <h1>Create an account</h1>
      <form className="card form" onSubmit={createAccount} aria-label="Create an account">
        <div className="field">
          <label htmlFor={`${id}-email`}>Email</label>
          <input
            id={`${id}-email`}
            type="email"
            autoComplete="email"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>Password</label>
          <input
            id={`${id}-password`}
            type="password"
            autoComplete="new-password"
            required
            minLength={8}
            aria-describedby={`${id}-password-hint`}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
          <p id={`${id}-password-hint`} className="hint">
            At least 8 characters, with upper and lower case letters, a number and a symbol.
          </p>
        </div>
        <ErrorMessage error={error} />
        <LoaderButton type="submit" busy={busy} busyLabel="Creating…">
          Create account
        </LoaderButton>
      </form>
      <p className="aside">
        Already have an account?{' '}
        <a href="/sign-in" onClick={followLink}>
          Sign in
        </a>
      </p>
    </main>
  );
}
