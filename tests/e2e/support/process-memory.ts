import { readFileSync, readdirSync } from 'node:fs';

/** Resident memory (bytes) of every process in a process group: `next start` and whatever it forked. */
export function groupRss(pgid: number): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may contain spaces) start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      const rssPages = Number(fields[21]);
      total += rssPages * 4096;
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}
