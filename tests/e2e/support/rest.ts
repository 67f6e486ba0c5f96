import type { LoginResponse, ReportInputDraft, ReportListResponse, Role, UserResponse } from '@truceline/shared';
import { ADMIN_PASSWORD } from './server-process.js';

async function call<T>(url: string, method: string, route: string, token?: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}${route}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${route} → ${res.status}: ${text}`);
  return JSON.parse(text) as T;
}

export const login = (url: string, username: string, password: string): Promise<LoginResponse> =>
  call<LoginResponse>(url, 'POST', '/api/auth/login', undefined, { username, password });

export const PASSWORD = 'e2e-user-password';

/** Creates an account through the admin API, as an operator would. */
export async function createUser(url: string, username: string, role: Role): Promise<UserResponse['user']> {
  const admin = await login(url, 'admin', ADMIN_PASSWORD);
  return (await call<UserResponse>(url, 'POST', '/api/users', admin.token, { username, password: PASSWORD, role })).user;
}

export async function submitReport(url: string, token: string, report: ReportInputDraft): Promise<void> {
  await call(url, 'POST', '/api/reports', token, report);
}

/** Every report the server holds (as the admin sees them). */
export async function allReports(url: string): Promise<ReportListResponse['reports']> {
  const admin = await login(url, 'admin', ADMIN_PASSWORD);
  return (await call<ReportListResponse>(url, 'GET', '/api/reports?limit=1000', admin.token)).reports;
}
