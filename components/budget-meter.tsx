'use client';

import { useSpending } from '@/lib/client/spending-query';
import { levelOf, meterText, type MeterLevel } from '@/lib/spending/rules';

const TONE: Record<MeterLevel, string> = {
  ok: 'text-neutral-400',
  near: 'text-amber-200',
  reached: 'text-red-300',
};

const WORST: MeterLevel[] = ['reached', 'near', 'ok'];

/**
 * The spending guard in the composer: "12 of 50 today · 140 of 500 this month" (pictures sent upstream,
 * UTC days and months), amber from 80 %, red once a limit is reached. Nothing at all while no limit is set
 * (or the numbers cannot be read). Polite live region: a change is announced without interrupting.
 */
export function BudgetMeter({ className = '' }: { className?: string }) {
  const { data } = useSpending();
  const text = data ? meterText(data.day, data.month) : null;
  if (!data || !text) return null;
  const levels = [levelOf(data.day), levelOf(data.month)];
  const level = WORST.find((l) => levels.includes(l)) ?? 'ok';
  return (
    <p
      aria-live="polite"
      data-level={level}
      title="Pictures sent upstream; days and months reset at 00:00 UTC"
      className={['text-xs tabular-nums', TONE[level], className].filter(Boolean).join(' ')}
    >
      <span className="sr-only">Pictures sent: </span>
      {text}
    </p>
  );
}
