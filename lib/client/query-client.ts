import { QueryClient } from '@tanstack/react-query';

/** One QueryClient per browser tab (and a fresh one per server render). */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        retry: 2,
        refetchOnWindowFocus: true,
      },
    },
  });
}
