#!/usr/bin/env node
// The project's entry: runs the minimal fixture server (a real MCP server over stdio) in-process.
import '../../../fixtures/servers/minimal.mjs';
