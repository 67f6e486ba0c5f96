/** The database's name and server from a URL, for messages (never the password). */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `database "${decodeURIComponent(u.pathname.slice(1)) || '(default)'}" on ${u.hostname}:${u.port || '5432'}${u.username ? ` as ${decodeURIComponent(u.username)}` : ''}`;
  } catch {
    return 'the DATABASE_URL database';
  }
}

/**
 * A PostgreSQL fault at start, said so the operator knows what to do: unreachable, refused
 * credentials, missing database, missing rights. Anything else as it came.
 */
export function postgresStartError(error: unknown, url: string): Error {
  const code = error !== null && typeof error === 'object' && 'code' in error ? String(error.code) : '';
  const message = error instanceof Error ? error.message : String(error);
  const where = describeDatabase(url);
  const say = (text: string) => new Error(`${text} (${code ? `${code}: ` : ''}${message})`, { cause: error });
  if (['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN'].includes(code) || code.startsWith('08') || code === '57P03') {
    return say(`cannot reach PostgreSQL for ${where}. Start it, or correct the host and port in DATABASE_URL`);
  }
  if (code === '28P01' || code === '28000') return say(`PostgreSQL refused the credentials for ${where}. Correct the user and password in DATABASE_URL`);
  if (code === '3D000') return say(`${where} does not exist. Create it (createdb) or correct its name in DATABASE_URL`);
  if (code === '42501') return say(`the account has too few rights on ${where}: Truceline creates its tables at start, so it needs to own the database (docs/postgres.md)`);
  if (error instanceof Error) return error;
  return new Error(message);
}
