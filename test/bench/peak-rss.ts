// Preloaded into a benchmark's child process (`node --import ./test/bench/peak-rss.ts …`):
// when the process exits, its peak resident set (the kernel's own high-water
// mark, so a peak just before exit is not missed) goes to the file named by
// PEAK_RSS_FILE, in KiB. The program it runs is left as it is.
import { writeFileSync } from 'node:fs';

const file = process.env['PEAK_RSS_FILE'];
if (file) process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
