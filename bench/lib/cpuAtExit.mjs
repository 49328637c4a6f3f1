// Preloaded into a measured process (`node --import ./cpuAtExit.mjs …`): at exit, writes the
// process's whole CPU time (user and system, start-up included; its children excluded, as
// getrusage(RUSAGE_SELF) counts) to the file named by MCPOPT_CPU_OUT, as one JSON object.
import { writeFileSync } from 'node:fs';

const out = process.env.MCPOPT_CPU_OUT;
if (out) {
  // Children (the server under test) must not inherit the preload's output file.
  delete process.env.MCPOPT_CPU_OUT;
  process.on('exit', () => {
    const u = process.cpuUsage();
    writeFileSync(out, JSON.stringify({ userUs: u.user, systemUs: u.system, cpuUs: u.user + u.system }));
  });
}
