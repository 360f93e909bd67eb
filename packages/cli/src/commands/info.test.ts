import { describe, expect, it } from '@jest/globals';
import { TRELLIS_VERSION } from '@trellis/core';
import { CLI_VERSION } from '../version.js';
import { collectInfo } from './info.js';

describe('collectInfo', () => {
  it('reports the CLI and platform API versions and the runtime', () => {
    expect(collectInfo()).toEqual({
      cli: CLI_VERSION,
      platformApi: TRELLIS_VERSION,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    });
  });
});
