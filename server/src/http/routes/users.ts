import { Router } from 'express';
import { CreateUserBody, PatchUserBody } from '@truceline/shared';
import { AppError } from '../../app-error.js';
import type { AuditDraft } from '../../audit/draft.js';
import { createAccount } from '../../auth/bootstrap.js';
import { requireGoodPassword } from '../../auth/password-policy.js';
import { hashPassword } from '../../auth/passwords.js';
import { UsernameTakenError } from '../../storage/store.js';
import { authOf, requireAction, requireAuth } from '../auth-middleware.js';
import { parseWith, requireJsonBody } from '../parse.js';
import type { HttpServices } from '../services.js';
import { isUuid } from '../../ids.js';

export function userRoutes(s: HttpServices): Router {
  const router = Router();
  router.use('/users', requireAuth(s.sessions), requireAction('user:manage'));
  router.post('/users', async (req, res) => {
    const body = parseWith(CreateUserBody, requireJsonBody(req.body, 'user'), 'user');
    requireGoodPassword(body.password, body.username, 'password');
    try {
      const user = await createAccount(s.store, body.username, body.password, body.role, authOf(res).user);
      s.log.info({ userId: user.id, role: user.role, by: authOf(res).user.id }, 'user created');
      res.status(201).json({ user });
    } catch (error) {
      if (error instanceof UsernameTakenError) throw new AppError('conflict', `The username "${body.username}" is taken.`);
      throw error;
    }
  });
  router.get('/users', async (_req, res) => {
    res.json({ users: await s.store.listUsers() });
  });
  router.patch('/users/:id', async (req, res) => {
    const id = String(req.params.id);
    if (!isUuid(id)) throw new AppError('not_found', `No user ${id}.`);
    const body = parseWith(PatchUserBody, requireJsonBody(req.body, 'user change'), 'user change');
    const me = authOf(res).user;
    const current = await s.store.getUser(id);
    if (!current) throw new AppError('not_found', `No user ${id}.`);
    if (id === me.id && (body.disabled === true || (body.role !== undefined && body.role !== 'admin'))) {
      throw new AppError('conflict', 'You cannot disable yourself or remove your own admin role; ask another admin.');
    }
    const { password, ...change } = body;
    if (password !== undefined) requireGoodPassword(password, current.username, 'password');
    // Hashed first: a hash refused as busy (429) must leave the whole request unapplied.
    const passwordHash = password === undefined ? undefined : await hashPassword(password);
    const atMs = s.sessions.now();
    const actor = { id: me.id, username: me.username };
    const target = { type: 'user', id };
    const drafts: AuditDraft[] = [];
    if (change.role !== undefined && change.role !== current.role) {
      drafts.push({ atMs, actor, action: 'user.role', target, before: { role: current.role }, after: { role: change.role } });
    }
    if (change.disabled !== undefined && change.disabled !== current.disabled) {
      drafts.push({
        atMs, actor, action: change.disabled ? 'user.disable' : 'user.enable', target,
        before: { disabled: current.disabled }, after: { disabled: change.disabled },
      });
    }
    const user = await s.store.updateUser(id, change, drafts);
    if (!user) throw new AppError('not_found', `No user ${id}.`);
    const revocation: AuditDraft = { atMs, actor, action: 'session.revoke', target };
    if (passwordHash !== undefined) {
      await s.store.setPasswordHash(id, passwordHash, [{ atMs, actor, action: 'user.password.reset', target }]);
      // A reset signs the user out everywhere (an admin resetting their own keeps this session).
      const keep = id === me.id ? authOf(res).sessionId : undefined;
      await s.store.revokeUserSessions(id, s.sessions.now(), keep, revocation);
      s.endUserSessions(id, keep);
    }
    // A disabled account's tokens die with it; re-enabling means signing in again.
    if (body.disabled === true) await s.store.revokeUserSessions(id, s.sessions.now(), undefined, revocation);
    // Sockets joined rooms for the old role; a disabled user must lose them at once.
    if (user.disabled !== current.disabled || user.role !== current.role) s.disconnectUser(id);
    s.log.info({ userId: id, change: { ...change, ...(password !== undefined ? { password: 'reset' } : {}) }, by: me.id }, 'user changed');
    res.json({ user });
  });
  return router;
}
