import { pino, type Logger } from 'pino';

/** JSON logs on stdout (one line per event) for whatever collects them. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'truceline' }, timestamp: pino.stdTimeFunctions.isoTime });
}
