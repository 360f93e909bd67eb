// Shared Jest configuration. Tests run against TypeScript sources through @swc/jest (ts-jest
// cannot work with the TypeScript 7 native compiler), and `@trellis/*` imports are mapped to each
// workspace package's `src/index.ts`, so tests never need a build of their dependencies.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from '@swc/core';

const workspaceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Maps every workspace package that has a `src/index.ts` to that file. */
function workspaceSourceMap() {
  const map = {};
  for (const group of ['packages', 'apps']) {
    const groupDir = join(workspaceRoot, group);
    if (!existsSync(groupDir)) continue;
    for (const entry of readdirSync(groupDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const manifest = join(groupDir, entry.name, 'package.json');
      const source = join(groupDir, entry.name, 'src', 'index.ts');
      if (!existsSync(manifest) || !existsSync(source)) continue;
      const { name } = JSON.parse(readFileSync(manifest, 'utf8'));
      map[`^${name.replace(/[/.]/g, '\\$&')}$`] = source;
    }
  }
  return map;
}

/**
 * Source files that compile to no JavaScript (interfaces and types only). v8 coverage counts
 * their lines as uncovered because nothing ever runs them, which would sink every package's
 * line threshold for declaring its contracts; so they are left out of coverage.
 */
function typeOnlySources(rootDir) {
  const srcDir = join(rootDir, 'src');
  if (!existsSync(srcDir)) return [];
  const found = [];
  for (const entry of readdirSync(srcDir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.ts') || entry.name.includes('.test')) continue;
    const file = join(entry.parentPath, entry.name);
    const { code } = transformSync(readFileSync(file, 'utf8'), {
      filename: file,
      jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2023' },
      module: { type: 'es6' },
    });
    const runtime = code
      .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')
      .replace(/export\s*\{\s*\};?/g, '')
      .trim();
    if (runtime === '') found.push(relative(rootDir, file));
  }
  return found;
}

/**
 * Builds the Jest config for one package.
 *
 * @param {string} packageUrl `import.meta.url` of the package's `jest.config.js`.
 * @param {{ coverageLines?: number, collectCoverageFrom?: string[], testTimeout?: number }} [options]
 */
export function createJestConfig(packageUrl, options = {}) {
  const rootDir = dirname(fileURLToPath(packageUrl));
  return {
    rootDir,
    testEnvironment: 'node',
    roots: ['<rootDir>/src'],
    testMatch: ['**/*.test.ts'],
    transform: {
      '^.+\\.(t|j)s$': [
        '@swc/jest',
        {
          jsc: {
            target: 'es2023',
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
          },
          // Keep `import()` as a real dynamic import so plugin loading is tested as it runs.
          module: { type: 'commonjs', ignoreDynamic: true },
          sourceMaps: 'inline',
        },
      ],
    },
    moduleNameMapper: {
      ...workspaceSourceMap(),
      // Sources use Node ESM specifiers (`./x.js`); Jest resolves the `.ts` file beside them.
      '^(\\.{1,2}/.*)\\.js$': '$1',
    },
    collectCoverageFrom: [
      ...(options.collectCoverageFrom ?? ['src/**/*.ts', '!src/**/*.test.ts', '!src/**/index.ts']),
      '!src/**/*.test-d.ts',
      ...typeOnlySources(rootDir).map((file) => `!${file}`),
    ],
    coverageProvider: 'v8',
    coverageReporters: ['text-summary', 'json-summary'],
    coverageThreshold: { global: { lines: options.coverageLines ?? 90 } },
    testTimeout: options.testTimeout ?? 10_000,
  };
}
