import type { AuditAction, AuditValue } from '@truceline/shared';

/** An entry before the log gives it `seq`, `prevHash` and `hash`. */
export interface AuditDraft {
  atMs: number;
  actor: { id: string; username: string } | null;
  action: AuditAction;
  target: { type: string; id: string };
  before?: AuditValue;
  after?: AuditValue;
  note?: string;
  address?: string;
}
