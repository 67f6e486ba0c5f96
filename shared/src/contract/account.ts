import { z } from 'zod';
import { Role } from './taxonomy.js';

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$/;
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 1024;

export const Username = z
  .string()
  .regex(USERNAME_PATTERN, 'must be 2–40 letters, digits, dots, dashes or underscores, starting with a letter or digit');
export const Password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `must be at most ${PASSWORD_MAX_LENGTH} characters`);

/** The rules every new password meets, as a client can show them next to the field. */
export const PASSWORD_RULES: readonly string[] = [
  `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters`,
  'not one of the 49,000 most common passwords (letter case ignored)',
  'not the username',
];

/**
 * What is wrong with `password` as a new password for `username`, or `undefined` when it meets
 * every rule of `PASSWORD_RULES`. The common-password list is large and lives on the server:
 * the caller says how to look a password up in it (a client without the list passes `() => false`).
 */
export function passwordProblem(password: string, username: string, isCommon: (password: string) => boolean): string | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  if (password.trim().toLowerCase() === username.toLowerCase()) return 'must not be the username';
  if (isCommon(password)) return 'is one of the most common passwords; choose another';
  return undefined;
}

export const User = z.object({
  id: z.string(),
  username: z.string(),
  role: Role,
});
export type User = z.infer<typeof User>;

/** What admins see of an account. */
export const UserRecord = User.extend({
  disabled: z.boolean(),
  createdAt: z.string(),
});
export type UserRecord = z.infer<typeof UserRecord>;

export const LoginBody = z.strictObject({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(1024),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const LoginResponse = z.object({ token: z.string(), user: User });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const CreateUserBody = z.strictObject({ username: Username, password: Password, role: Role });
export type CreateUserBody = z.infer<typeof CreateUserBody>;

/** `password` (an addition): an admin's reset; it signs the user out everywhere. */
export const PatchUserBody = z
  .strictObject({ role: Role.optional(), disabled: z.boolean().optional(), password: Password.optional() })
  .refine((b) => b.role !== undefined || b.disabled !== undefined || b.password !== undefined, {
    message: 'give role, disabled or password',
  });
export type PatchUserBody = z.infer<typeof PatchUserBody>;

/** `POST /api/me/password`: the signed-in user changes their own password. */
export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  newPassword: Password,
});
export type ChangePasswordBody = z.infer<typeof ChangePasswordBody>;

export const PresenceEntry = z.object({ userId: z.string(), username: z.string(), role: Role });
export const Presence = z.object({ online: z.array(PresenceEntry) });
export type Presence = z.infer<typeof Presence>;
