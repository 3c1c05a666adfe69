#!/usr/bin/env node
// The command, in a file of its own that exists before the first build, so installing the workspace links it
// without a warning; the CLI itself is built into dist/.
import '../dist/cli.js';
