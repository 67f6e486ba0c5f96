import { z } from 'zod';
import { Role } from './taxonomy.js';

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{1,39}$/;
export const PASSWORD_MIN_LENGTH = 10;

export const Username = z
  .string()
  .regex(USERNAME_PATTERN, 'must be 2–40 letters, digits, dots, dashes or underscores, starting with a letter or digit');
export const Password = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(1024, 'must be at most 1024 characters');

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

export const PatchUserBody = z
  .strictObject({ role: Role.optional(), disabled: z.boolean().optional() })
  .refine((b) => b.role !== undefined || b.disabled !== undefined, { message: 'give role or disabled' });
export type PatchUserBody = z.infer<typeof PatchUserBody>;

export const PresenceEntry = z.object({ userId: z.string(), username: z.string(), role: Role });
export const Presence = z.object({ online: z.array(PresenceEntry) });
export type Presence = z.infer<typeof Presence>;
