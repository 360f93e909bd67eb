import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { CLI_VERSION } from './version.js';

describe('CLI_VERSION', () => {
  it('equals the version in package.json', () => {
    const manifest = JSON.parse(readFileSync(resolve(__dirname, '../package.json'), 'utf8')) as {
      version: string;
    };
    expect(CLI_VERSION).toBe(manifest.version);
  });
});
