// Optimistic concurrency: every update names the version the client last saw; a stale one fails with the current
// version so the client can merge and retry. Missing notes (and other users' notes) are NotFound.
import { describe } from 'vitest';
import { useTarget } from './helpers/fixture';
import { updateAndDeleteOutcomes } from './helpers/update-delete-suite';

describe('updateNote and deleteNote outcomes', () => {
  updateAndDeleteOutcomes(useTarget());
});
