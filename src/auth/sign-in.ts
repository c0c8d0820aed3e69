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
 * When a user's lock ends: five failures within fifteen minutes lock the account for fifteen minutes from the last of
 * them (attempts while locked are not recorded, so the lock does not extend itself).
 * @param store - the auth store.
 * @param username - the user name.
 * @param now - the current time (ms).
 * @returns the end of the lock (ms), or undefined when not locked.
 */
export async function lockedUntil(store: AuthStore, username: string, now = Date.now()): Promise<number | undefined> {
  const times = await store.latestLoginFailures(username, LOCKOUT_THRESHOLD, 2 * LOCKOUT_SECONDS);
  const newest = times[0];
  const oldest = times[LOCKOUT_THRESHOLD - 1];
  if (newest === undefined || oldest === undefined || newest - oldest > LOCKOUT_SECONDS * 1000) return undefined;
  const until = newest + LOCKOUT_SECONDS * 1000;
  return until > now ? until : undefined;
}

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
  if (await lockedUntil(store, username)) return { ok: false, reason: 'locked' };
  const user = await store.findUser(username);
  dummyHash ??= hashPassword('not a password');
  const ok = await verifyPassword(password, user?.passwordHash ?? (await dummyHash));
  if (!user?.passwordHash || !ok) {
    await store.recordLoginFailure(username);
    return { ok: false, reason: (await lockedUntil(store, username)) ? 'locked' : 'invalid' };
  }
  await store.clearLoginFailures(username);
  return { ok: true, user };
}
