#!/usr/bin/env node
// feedbench is written in TypeScript and runs from source through tsx's loader, so there is no
// build step between `npm ci` and `npx feedbench`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
