import { Suspense } from 'react';
import { ProviderAlert } from '@/components/provider-alert';
import { SignOutButton } from '@/components/sign-out-button';
import { Studio } from '@/components/studio';
import { filterFromSearchParams, filterKey } from '@/lib/gallery/filters';
import { listTasks } from '@/lib/gallery/query';

// Always render from the database: the gallery changes with every generation.
export const dynamic = 'force-dynamic';

export default async function Home({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const filter = filterFromSearchParams(await searchParams);
  const initialPage = await listTasks(filter);
  return (
    <main className="mx-auto flex w-full max-w-7xl flex-col gap-6 px-4 py-6 sm:px-6 lg:px-8">
      <header className="flex items-baseline gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Darkroom</h1>
        <p className="text-sm text-neutral-400">Text to image with RunWay</p>
        <SignOutButton />
      </header>
      <ProviderAlert />
      <Suspense>
        <Studio initialPage={initialPage} initialFilterKey={filterKey(filter)} />
      </Suspense>
    </main>
  );
}
