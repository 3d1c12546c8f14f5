// Preloaded (node --import) into a CLI run by a test: on exit, writes the process's peak resident
// set size (bytes) to the file named by KOTOZUTE_TEST_PEAK_RSS_FILE, so the test can bound memory
// without the CLI knowing it is measured.
import { writeFileSync } from 'node:fs';

const target = process.env.KOTOZUTE_TEST_PEAK_RSS_FILE;
if (target) {
  process.on('exit', () => {
    writeFileSync(target, String(process.resourceUsage().maxRSS * 1024));
  });
}
