import type { AuthStore, UserRecord } from '../store/auth-store.ts';
import { hashPassword, verifyPassword } from './passwords.ts';

/** Failed sign-ins that lock an account. */
export const LOCKOUT_THRESHOLD = 5;
/** How long a lock lasts, and the window failures are counted in (seconds). */
export const LOCKOUT_SECONDS = 15 * 60;

/** Outcome of a sign-in attempt. */
export type SignInResult = { ok: true; user: UserRecord } | { ok: false; reason: 'invalid' | 'locked' };

let dummyHash: Promise<string> | undefined;

/**
 * Checks a user name and password, with lockout after {@link LOCKOUT_THRESHOLD} failures within
 * {@link LOCKOUT_SECONDS} (the count lives in the database, so every app node sees it). Unknown users cost the
 * same scrypt work as known ones.
 * @param store - the auth store.
 * @param username - the user name typed.
 * @param password - the password typed.
 * @returns the user, or why not.
 */
export async function signIn(store: AuthStore, username: string, password: string): Promise<SignInResult> {
  const failures = await store.recentLoginFailures(username, LOCKOUT_SECONDS);
  if (failures.count >= LOCKOUT_THRESHOLD) return { ok: false, reason: 'locked' };
  const user = await store.findUser(username);
  dummyHash ??= hashPassword('not a password');
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash));
  if (!user?.passwordHash || !ok) {
    await store.recordLoginFailure(username);
    return { ok: false, reason: failures.count + 1 >= LOCKOUT_THRESHOLD ? 'locked' : 'invalid' };
  }
  await store.clearLoginFailures(username);
  return { ok: true, user };
}
