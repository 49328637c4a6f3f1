// Writes its arguments as JSON to $ARGV_OUT, so a test can compare them byte for byte.
import { writeFileSync } from 'node:fs';
writeFileSync(process.env.ARGV_OUT, JSON.stringify(process.argv.slice(2)));
