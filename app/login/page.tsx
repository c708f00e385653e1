import type { Metadata } from 'next';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { safeNext } from '@/lib/auth/gate';
import { hasValidSession } from '@/lib/auth/keys';
import { SESSION_COOKIE } from '@/lib/auth/session';
import { gateEnabled } from '@/lib/auth/settings';
import { LoginForm } from './login-form';

export const metadata: Metadata = { title: 'Sign in · Darkroom' };
export const dynamic = 'force-dynamic';

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string | string[] }> }) {
  const { next: rawNext } = await searchParams;
  const next = safeNext(Array.isArray(rawNext) ? rawNext[0] : rawNext);
  // Nothing to sign in to, or already signed in: go where the person was heading.
  if (!gateEnabled() || (await hasValidSession((await cookies()).get(SESSION_COOKIE)?.value))) redirect(next);

  return (
    <main className="mx-auto flex min-h-dvh w-full max-w-sm flex-col justify-center gap-6 px-4 py-12">
      <header className="flex flex-col gap-1">
        <h1 className="text-2xl font-semibold tracking-tight">Darkroom</h1>
        <p className="text-sm text-neutral-400">This studio is private. Enter its password to continue.</p>
      </header>
      <LoginForm next={next} />
    </main>
  );
}
