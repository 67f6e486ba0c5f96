import type { OutboxItem } from '../outbox/outbox-machine';

export type SendOutcome = 'confirmed' | 'sending' | 'saved' | 'retrying' | 'refused';

/**
 * What the monitor is told about one report: its outbox state, and whether it can go now. A
 * failure without a retry time needs a person (the server refused it); one with a time passes by itself.
 */
export function sendOutcome(item: OutboxItem, online: boolean): SendOutcome {
  if (item.state === 'confirmed') return 'confirmed';
  if (item.state === 'failed') return item.retryAt === undefined ? 'refused' : 'retrying';
  return online ? 'sending' : 'saved';
}
