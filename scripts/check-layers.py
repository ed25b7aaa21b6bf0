#!/usr/bin/env python3
"""Fails when a source file imports a module its layer may not use.

SwiftPM does not enforce layering: a target can import anything its dependencies pull in
transitively, so `Package.swift` alone cannot keep SQL out of the services or HTTP types out
of the repositories. This script holds the allowed import matrix, per target and, for the
CLI, per folder (only the composition root may build the pool and run migrations), and fails
on any import outside it. `--self-test` proves that it can fail.

Usage: scripts/check-layers.py [--root DIR] [--self-test]
"""
import argparse
import pathlib
import re
import sys
import tempfile

# System modules any target may import (platform C libraries and the standard library's own).
SYSTEM = {"Foundation", "FoundationEssentials", "Glibc", "Darwin", "Musl", "Dispatch", "Synchronization"}

# What each layer may import, besides SYSTEM. The most specific (longest) path prefix wins.
ALLOWED = {
    "Sources/VigilPrimitives": set(),
    "Sources/PostgresClient": {"CLibPQ", "VigilPrimitives", "Logging", "NIOCore", "NIOPosix",
                               "NIOConcurrencyHelpers", "ServiceLifecycle"},
    "Sources/EmbeddedPostgres": {"Logging"},
    "Sources/CRE2": set(),  # C++ over libre2 (no .swift files to scan)
    "Sources/VigilCore": {"VigilPrimitives", "Crypto", "CRE2"},
    "Sources/VigilRepositories": {"VigilCore", "VigilPrimitives", "PostgresClient", "Logging", "Crypto"},
    "Sources/VigilDelivery": {"CCurl", "VigilPrimitives"},
    "Sources/VigilServices": {"VigilCore", "VigilPrimitives", "VigilRepositories", "VigilDelivery", "Logging", "Crypto"},
    "Sources/VigilAPI": {"VigilServices", "VigilCore", "VigilPrimitives", "Logging", "Hummingbird", "HTTPTypes",
                         "NIOCore", "Metrics", "Prometheus", "OpenAPIRuntime", "OpenAPIHummingbird"},
    "Sources/VigilWorker": {"VigilServices", "VigilCore", "VigilPrimitives", "Logging", "ServiceLifecycle",
                            "Metrics", "Prometheus"},
    # A client generated from the spec, driving a live server: it may use only the client side.
    "Sources/VigilClientE2E": {"OpenAPIRuntime", "OpenAPIURLSession", "HTTPTypes", "Crypto"},
    "Sources/vigil": {"VigilAPI", "VigilWorker", "VigilServices", "VigilCore", "VigilPrimitives", "EmbeddedPostgres",
                      "ArgumentParser", "Configuration", "Logging", "ServiceLifecycle", "UnixSignals", "Hummingbird",
                      "NIOCore"},
    # The composition root: the one place that creates the pool, the Database and runs migrations.
    "Sources/vigil/Composition": {"VigilAPI", "VigilWorker", "VigilServices", "VigilCore", "VigilPrimitives",
                                  "VigilRepositories", "PostgresClient", "EmbeddedPostgres", "Configuration",
                                  "Logging", "ServiceLifecycle"},
}

IMPORT = re.compile(r"^\s*(?:@[\w()]+\s+)*import\s+(?:(?:struct|class|enum|protocol|func|var|let|typealias)\s+)?([\w]+)")
TESTABLE = re.compile(r"^\s*@testable\s+import\b")


def layer_of(relative: str):
    matches = [prefix for prefix in ALLOWED if relative == prefix or relative.startswith(prefix + "/")]
    return max(matches, key=len) if matches else None


def check(root: pathlib.Path):
    problems = []
    sources = root / "Sources"
    for path in sorted(sources.rglob("*.swift")):
        relative = path.relative_to(root).as_posix()
        layer = layer_of(relative)
        if layer is None:
            problems.append(f"{relative}: no layer in the import matrix covers this file (add its target to scripts/check-layers.py)")
            continue
        allowed = ALLOWED[layer] | SYSTEM
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if TESTABLE.match(line):
                problems.append(f"{relative}:{number}: @testable import in production code")
                continue
            match = IMPORT.match(line)
            if match and match.group(1) not in allowed:
                problems.append(f"{relative}:{number}: imports {match.group(1)}, which {layer} may not use")
    return problems


def self_test():
    """The check must fail on a forbidden import and pass on an allowed one."""
    with tempfile.TemporaryDirectory() as directory:
        root = pathlib.Path(directory)
        services = root / "Sources/VigilServices"
        services.mkdir(parents=True)
        (services / "Fine.swift").write_text("import Foundation\nimport VigilRepositories\n")
        if check(root):
            return "an allowed import was reported"
        (services / "Bad.swift").write_text("import Foundation\n@preconcurrency import PostgresClient\n")
        found = check(root)
        if len(found) != 1 or "PostgresClient" not in found[0]:
            return f"a forbidden import was not reported exactly once: {found}"
        api = root / "Sources/VigilAPI"
        api.mkdir(parents=True)
        (api / "Leak.swift").write_text("import VigilRepositories\n")
        if not any("VigilAPI may not use" in p for p in check(root)):
            return "the API importing repositories was not reported"
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=pathlib.Path(__file__).resolve().parent.parent, type=pathlib.Path)
    parser.add_argument("--self-test", action="store_true")
    arguments = parser.parse_args()
    if arguments.self_test:
        failure = self_test()
        if failure:
            print(f"check-layers self-test failed: {failure}")
            return 1
        print("check-layers self-test: a forbidden import fails the check")
    problems = check(arguments.root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} import(s) outside the layer matrix (scripts/check-layers.py)")
        return 1
    print("layers: every import is inside the matrix")
    return 0


if __name__ == "__main__":
    sys.exit(main())
