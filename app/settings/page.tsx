import type { Metadata } from 'next';
import Link from 'next/link';
import { SpendingChart } from '@/components/spending-chart';
import { gateEnabled } from '@/lib/auth/settings';
import { spendingView } from '@/lib/spending/budget';
import { spendingLimits } from '@/lib/spending/limits';
import { resetText, waitText, type Period } from '@/lib/spending/rules';
import type { SpendingView } from '@/lib/spending/view';
import { LimitsForm } from './limits-form';

export const metadata: Metadata = { title: 'Settings · Darkroom' };
// Counted from the database on every view.
export const dynamic = 'force-dynamic';

const number = (n: number) => n.toLocaleString('en-US');

function Usage({ label, period, use, now }: { label: string; period: Period; use: SpendingView['day']; now: Date }) {
  const resetsIn = waitText(new Date(use.resetsAt).getTime() - now.getTime());
  return (
    <div className="flex flex-col gap-0.5 rounded-lg border border-neutral-800 bg-neutral-900/60 px-4 py-3">
      <dt className="text-xs uppercase tracking-wide text-neutral-400">{label}</dt>
      <dd className="text-lg font-semibold tabular-nums">
        {use.limit === null
          ? `${number(use.used)} ${use.used === 1 ? 'picture' : 'pictures'} (no limit)`
          : `${number(use.used)} of ${number(use.limit)} pictures`}
      </dd>
      <dd className="text-xs text-neutral-400">
        Resets at {resetText(period, now)} (in {resetsIn})
      </dd>
    </div>
  );
}

/**
 * Settings: the spending guard (issue #12). What was sent upstream today and this month against the
 * limits, the last 30 days as a chart, and — only with the access gate on — the form that changes the
 * limits. Behind proxy.ts like every page: with the gate on, a session is needed to see it and Darkroom's
 * own origin to post the form.
 */
export default async function SettingsPage() {
  const now = new Date();
  const [view, limits] = await Promise.all([spendingView(now), spendingLimits()]);
  const editable = gateEnabled();
  return (
    <main className="mx-auto flex w-full max-w-3xl flex-col gap-8 px-4 py-10">
      <header className="flex flex-col gap-2">
        <Link href="/" className="w-fit text-sm text-neutral-400 underline-offset-4 hover:text-neutral-200 hover:underline">
          ← Back to the studio
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight">Settings</h1>
      </header>

      <section aria-labelledby="spending-heading" className="flex flex-col gap-5">
        <div className="flex flex-col gap-1">
          <h2 id="spending-heading" className="text-lg font-semibold">
            Spending
          </h2>
          <p className="text-sm text-neutral-400">
            Every picture Darkroom sends to the provider may cost the key&apos;s owner money. It counts each one when it is sent — whatever
            becomes of it, and once even when the provider had to be asked again — in the UTC day and month it was sent: both reset at 00:00
            UTC. Once a limit is reached, Generate is refused and queued pictures wait until it resets.
          </p>
        </div>

        <dl className="grid gap-3 sm:grid-cols-2">
          <Usage label="Today" period="day" use={view.day} now={now} />
          <Usage label="This month" period="month" use={view.month} now={now} />
        </dl>

        <SpendingChart last30={view.last30} dailyLimit={view.day.limit} />

        <div className="flex flex-col gap-3">
          <h3 className="text-sm font-medium text-neutral-200">Limits</h3>
          {editable ? (
            <>
              <p className="text-sm text-neutral-400">
                {limits.source === 'settings'
                  ? 'These limits were saved here and win over the environment’s DAILY_LIMIT and MONTHLY_LIMIT.'
                  : 'These limits come from the environment (DAILY_LIMIT, MONTHLY_LIMIT). Saving them here overrides it.'}
              </p>
              <LimitsForm
                daily={limits.daily}
                monthly={limits.monthly}
                saved={limits.source === 'settings'}
                environment={limits.environment}
              />
            </>
          ) : (
            <p className="text-sm text-neutral-400">
              Daily limit: <strong className="text-neutral-200">{limits.daily === null ? 'none' : number(limits.daily)}</strong>
              {' · '}
              Monthly limit: <strong className="text-neutral-200">{limits.monthly === null ? 'none' : number(limits.monthly)}</strong>. They
              come from the environment (DAILY_LIMIT, MONTHLY_LIMIT) and are read-only here. Without a password (APP_PASSWORD) anyone who
              can reach Darkroom could lift them, so change them in the environment and restart — or set a password to change them on this
              page.
            </p>
          )}
        </div>
      </section>
    </main>
  );
}
