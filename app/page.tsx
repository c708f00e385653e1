import { Suspense } from 'react';
import { SignOutButton } from '@/components/sign-out-button';
import { Studio } from '@/components/studio';
import { filterFromSearchParams, filterKey } from '@/lib/gallery/filters';
import { listTasks } from '@/lib/gallery/query';

// Always render from the database: the gallery changes with every generation.
export const dynamic = 'force-dynamic';

export default async function Home({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const filter = filterFromSearchParams(await searchParams);
  const initialPage = await listTasks(filter);
  // Fluid: the gallery uses the whole window width (no max width); the composer is pinned inside Studio.
  return (
    <main className="flex w-full flex-col px-3 pb-[calc(var(--composer-phone-height,0px)+1rem)] sm:px-6 sm:pb-8">
      <Suspense>
        <Studio initialPage={initialPage} initialFilterKey={filterKey(filter)} account={<SignOutButton />} />
      </Suspense>
    </main>
  );
}
