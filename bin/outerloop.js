#!/usr/bin/env node
import '../dist/esm/cli/run.js';
