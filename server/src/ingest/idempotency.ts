import { AppError } from '../app-error.js';

interface Submission {
  reporterId: string;
  canonicalInput: string;
}

/**
 * What an earlier copy of the same id means for a new submission: the same account with the
 * same content is a replay (answered with the stored report, nothing changes); anything else
 * is a conflict. One rule, used both before queueing and again inside the single writer.
 */
export function replayOrConflict(id: string, earlier: Submission, next: Submission): 'replay' | AppError {
  if (earlier.reporterId !== next.reporterId) {
    return new AppError('conflict', `Report ${id} was already submitted by another account; make a new id.`);
  }
  if (earlier.canonicalInput !== next.canonicalInput) {
    return new AppError(
      'conflict',
      `Report ${id} was already submitted with different content; a correction is a new report with "supersedes".`,
    );
  }
  return 'replay';
}
