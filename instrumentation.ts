/**
 * Runs once when the server process starts: begin following unfinished tasks
 * (resuming any left from before a restart). Browsers never poll the provider.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { follower } = await import('./lib/tasks/follower-instance');
  follower();
}
