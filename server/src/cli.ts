import { createInterface } from 'node:readline';
import { CreateUserBody, issuesFromZod } from '@truceline/shared';
import { createAccount } from './auth/bootstrap.js';
import { ConfigError, loadConfig } from './config.js';
import { SqliteStore } from './storage/sqlite/sqlite-store.js';
import { UsernameTakenError } from './storage/store.js';

const USAGE = `usage: pnpm user:add <username> <monitor|coordinator|admin>
  The password is read from TRUCELINE_PASSWORD, or else from the first line of standard input.
  Uses DATA_DIR like the server (default ./data); the server may keep running.`;

async function readPassword(): Promise<string> {
  const fromEnv = process.env.TRUCELINE_PASSWORD;
  if (fromEnv) return fromEnv;
  if (process.stdin.isTTY) process.stderr.write('Password: ');
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

async function main(argv: string[]): Promise<number> {
  const [command, username, role] = argv;
  if (command !== 'add-user' || !username || !role) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const parsed = CreateUserBody.safeParse({ username, role, password: await readPassword() });
  if (!parsed.success) {
    for (const issue of issuesFromZod(parsed.error)) process.stderr.write(`${issue.path}: ${issue.message}\n`);
    return 2;
  }
  const config = loadConfig();
  if (config.databaseUrl) {
    process.stderr.write('DATABASE_URL is set, but this build stores in SQLite only.\n');
    return 2;
  }
  const store = SqliteStore.open(config.dataDir);
  try {
    const user = await createAccount(store, parsed.data.username, parsed.data.password, parsed.data.role);
    process.stdout.write(`created ${user.role} "${user.username}" (${user.id})\n`);
    return 0;
  } catch (error) {
    if (error instanceof UsernameTakenError) {
      process.stderr.write(`the username "${username}" is taken\n`);
      return 1;
    }
    throw error;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof ConfigError ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
