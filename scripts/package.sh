#!/usr/bin/env bash
# Builds the release tarball and proves it installs: dist/vigil-<version>-linux-<arch>.tar.gz
# holds bin/vigil (release build, Swift runtime linked statically), the resource bundles it
# loads next to itself (migrations, the OpenAPI spec), the systemd units and example
# environment, README, LICENSE, CHANGELOG, SECURITY.md and docs/. The test unpacks it into an
# empty directory, hides the build tree's own resource bundles (so the binary can only find the
# ones it ships with), and runs `vigil version` and `vigil dev` on a fresh cluster from there.
#
#   scripts/package.sh              # about 11 minutes on 2 cores from a cold build
#   scripts/package.sh --no-test    # build the tarball only
#   scripts/package.sh --debug      # CI: package the debug build (Swift runtime not static) and
#                                   # run the same install test, proving the layout in minutes
#
# Runtime needs of the binary (dynamic system libraries): libpq5, libcurl4, libre2-9; `vigil dev`
# also needs the PostgreSQL server binaries.
set -euo pipefail
cd "$(dirname "$0")/.."
TEST=1 CONFIG=release EXTRA=(--static-swift-stdlib) WHAT=(--product vigil) SUFFIX=""
case "${1:-}" in
    --no-test) TEST=0 ;;
    # The debug build as CI already made it (with the tests): building only the product would
    # compile every module again without -enable-testing.
    --debug) CONFIG=debug EXTRA=() WHAT=(--build-tests) SUFFIX="-debug" ;;
esac

swift build -c "$CONFIG" "${EXTRA[@]}" "${WHAT[@]}" 2>&1 | grep -E "error|warning: unre|Compiling|Build" | tail -3
BIN=$(swift build -c "$CONFIG" "${EXTRA[@]}" --show-bin-path)
VERSION=$("$BIN/vigil" version | python3 -c 'import json,sys; print(json.load(sys.stdin)["version"])')
NAME="vigil-$VERSION-linux-$(uname -m)$SUFFIX"
STAGE=$(mktemp -d)
mkdir -p "$STAGE/$NAME/bin" dist
cp "$BIN/vigil" "$STAGE/$NAME/bin/"
cp -RL "$BIN"/vigil_*.resources "$STAGE/$NAME/bin/"
cp -RL deploy "$STAGE/$NAME/deploy"
cp -RL docs "$STAGE/$NAME/docs"
cp README.md LICENSE CHANGELOG.md SECURITY.md "$STAGE/$NAME/"
tar -C "$STAGE" -czf "dist/$NAME.tar.gz" "$NAME"
rm -rf "$STAGE"
echo "dist/$NAME.tar.gz: $(du -h "dist/$NAME.tar.gz" | cut -f1)"
echo "linked dynamically: $(ldd "$BIN/vigil" | awk '{print $1}' | grep -vE '^(linux-vdso|/lib64)' | tr '\n' ' ')"
[ "$TEST" = 1 ] || exit 0

# ------------------------------------------------------------------ install test
INSTALL=$(mktemp -d) PORT=18591 PG_PORT=25591
HIDDEN=()
restore() {
    [ -n "${DEV_PID:-}" ] && { kill -INT "$DEV_PID" 2>/dev/null; wait "$DEV_PID" 2>/dev/null; }
    for bundle in "${HIDDEN[@]}"; do mv "$bundle.hidden-by-package-test" "$bundle"; done
    rm -rf "$INSTALL"
}
trap restore EXIT
for bundle in "$BIN"/vigil_*.resources; do mv "$bundle" "$bundle.hidden-by-package-test"; HIDDEN+=("$bundle"); done
tar -C "$INSTALL" -xzf "dist/$NAME.tar.gz"
cd "$INSTALL"   # an empty directory holding only the unpacked release
"$NAME/bin/vigil" version
ADMIN=$(python3 -c 'import secrets; print(secrets.token_hex(24))')
VIGIL_ADMIN_TOKEN=$ADMIN "$NAME/bin/vigil" dev --port $PORT --pg-port $PG_PORT --data-dir "$INSTALL/data" \
    >"$INSTALL/dev.out" 2>"$INSTALL/dev.err" &
DEV_PID=$!
for _ in $(seq 1 90); do curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1 && break; sleep 1; done
curl -fs "http://127.0.0.1:$PORT/readyz"; echo
KEY=$(sed -n 's/.*API key: *\(vgl_[A-Za-z0-9_-]*\).*/\1/p' "$INSTALL/dev.out")
curl -fs -H "Authorization: Bearer $KEY" "http://127.0.0.1:$PORT/v1/workspaces/demo" >/dev/null
cmp <(curl -fs "http://127.0.0.1:$PORT/openapi.yaml") "$NAME/bin/vigil_VigilAPI.resources/openapi.yaml"
echo "package test: the unpacked release migrated a fresh cluster, served the demo workspace and its own spec"
