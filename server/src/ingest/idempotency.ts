import { AppError } from '../app-error.js';

interface Submission {
  reporterId: string;
  canonicalInput: string;
}

/**
 * What an earlier copy of the same id means for a new submission: the same account with the
 * same content is a replay (answered with the stored report, nothing changes); anything else
 * is a conflict. One rule, used both before queueing and again inside the single writer.
 *
 * Both conflicts carry one message: a monitor sees other monitors' report ids, and a message
 * that named "another account" would tell them which reports are not theirs.
 */
export function replayOrConflict(id: string, earlier: Submission, next: Submission): 'replay' | AppError {
  if (earlier.reporterId !== next.reporterId || earlier.canonicalInput !== next.canonicalInput) {
    return new AppError(
      'conflict',
      `Report ${id} is already stored with other content or from another account; make a new id (a correction is a new report with "supersedes").`,
    );
  }
  return 'replay';
}
