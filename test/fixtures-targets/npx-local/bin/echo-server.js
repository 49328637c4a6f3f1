#!/usr/bin/env node
// Echoes stdin to stdout, like a server that answers every line; stays alive while stdin is open.
process.stdin.pipe(process.stdout);
