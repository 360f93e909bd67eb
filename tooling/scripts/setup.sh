#!/usr/bin/env bash
# Prepares a machine that has only Node.js and npm to build, run and test Trellis:
#   1. Node.js >= 22.12 (installs Node 24 LTS from the npm registry into /usr/local when older),
#   2. pnpm 12.4.2 (the version pinned in package.json's packageManager),
#   3. the workspace dependencies, exactly as locked (pnpm install --frozen-lockfile).
# Idempotent: each step is skipped when already satisfied.
set -euo pipefail
cd "$(dirname "$0")/../.."

PNPM_VERSION=12.4.2
export PATH="/usr/local/bin:$PATH"

# 22.12 is the floor: commander 15 (the CLI's parser) needs it, and require(esm) is on from there.
node_ok() {
  node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)' 2>/dev/null
}

if ! node_ok; then
  echo "setup: Node $(node -v 2>/dev/null || echo none) is older than 22.12; installing Node 24 into /usr/local"
  # Not --allow-scripts here: the node package works without its preinstall, and the flag leaks
  # into the nested npm call that preinstall makes, which then refuses to run.
  if ! npm install --global --prefix /usr/local node@24 >/dev/null; then
    echo "setup: could not install Node 24 into /usr/local (not root?). Install Node >= 22.12 yourself, e.g. 'nvm install 24', then rerun." >&2
    exit 1
  fi
  hash -r
  node_ok || { echo "setup: node on PATH is still $(node -v); put /usr/local/bin first on PATH." >&2; exit 1; }
fi

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm $PNPM_VERSION"
  npm install --global --prefix /usr/local --allow-scripts=pnpm "pnpm@$PNPM_VERSION" >/dev/null
  hash -r
fi

echo "setup: node $(node -v), pnpm $(pnpm --version)"
pnpm install --frozen-lockfile
