import { describeError } from '../lib/errors';

export function ErrorMessage({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  return (
    <p className="message error" role="alert">
      {describeError(error)}
    </p>
  );
}
