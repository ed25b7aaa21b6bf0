#!/usr/bin/env python3
"""Walks the request-body and query-parameter constraints of openapi/openapi.yaml and proves the server enforces them.

For every operation whose JSON request body has an example, each constraint the schema states
(maxLength, minLength, maximum, minimum, maxItems, minItems, enum, additionalProperties: false,
and `null` for a property whose type does not include it) is violated one at a time, starting from the valid example, and the request is sent to a running
Vigil. A constraint is enforced when the answer is 400 (or 413/422). A 2xx means the spec
promises a limit the server does not keep; a 5xx is a bug. Both fail the run.

Query parameters of every GET on a workspace path (no other path parameter) get the same
treatment: each constraint (minimum, maximum, minLength, maxLength, enum, pattern, uuid and
date-time formats, integer type) broken alone, the answer must be 400.

Usage: scripts/spec-constraints.py --base http://127.0.0.1:8080 --workspace demo --key vgl_… --admin-token …
"""
import argparse
import copy
import json
import pathlib
import sys
import urllib.error
import urllib.parse
import urllib.request

import yaml

ENFORCED = {400, 413, 422}


def resolve(spec, node):
    while isinstance(node, dict) and "$ref" in node:
        target = spec
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def example_of(content):
    if "example" in content:
        return content["example"]
    for example in (content.get("examples") or {}).values():
        if "value" in example:
            return example["value"]
    return None


def beyond(bound, direction):
    """A number past `bound` in `direction` (+1 above, -1 below); + 1 is lost on 1e100."""
    step = max(1, abs(bound))
    return bound + direction * step


def violations(spec, schema, value, path=()):
    """Yields (description, mutated value at path) pairs: each breaks one constraint."""
    schema = resolve(spec, schema)
    for option in schema.get("allOf", []):
        yield from violations(spec, option, value, path)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if "enum" in schema and isinstance(value, str):
        yield ("enum", path, "not-one-of-the-listed-values")
    if kind == "string" or isinstance(value, str):
        if "maxLength" in schema:
            yield (f"maxLength {schema['maxLength']}", path, "x" * (schema["maxLength"] + 1))
        if schema.get("minLength", 0) >= 1:
            yield (f"minLength {schema['minLength']}", path, "")
    if kind in ("integer", "number") and isinstance(value, (int, float)) and not isinstance(value, bool):
        if "maximum" in schema:
            yield (f"maximum {schema['maximum']}", path, beyond(schema["maximum"], +1))
        if "minimum" in schema:
            yield (f"minimum {schema['minimum']}", path, beyond(schema["minimum"], -1))
    if kind == "array" and isinstance(value, list) and value:
        if "maxItems" in schema:
            yield (f"maxItems {schema['maxItems']}", path, [value[0]] * (schema["maxItems"] + 1))
        if schema.get("minItems", 0) >= 1:
            yield (f"minItems {schema['minItems']}", path, [])
        yield from violations(spec, schema.get("items", {}), value[0], path + (0,))
    if kind == "object" and isinstance(value, dict):
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is False:
            yield ("additionalProperties false", path + ("unexpected_field_zz",), 1)
        for name, sub in properties.items():
            if name in value:
                declared = resolve(spec, sub).get("type")
                if not (isinstance(declared, list) and "null" in declared):
                    yield ("not nullable", path + (name,), None)
                yield from violations(spec, sub, value[name], path + (name,))


def mutate(document, path, new_value):
    document = copy.deepcopy(document)
    target = document
    for part in path[:-1]:
        target = target[part]
    if path:
        target[path[-1]] = new_value
        return document
    return new_value


def query_violations(spec, parameter):
    """Yields (description, raw query value) pairs: each breaks one constraint of the parameter."""
    schema = resolve(spec, parameter.get("schema", {}))
    if schema.get("type") == "array":
        items = resolve(spec, schema.get("items", {}))
        if "pattern" in items:
            yield (f"items pattern {items['pattern']}", "-")
        return
    kind = schema.get("type")
    if "minimum" in schema:
        yield (f"minimum {schema['minimum']}", str(schema["minimum"] - 1))
    if "maximum" in schema:
        yield (f"maximum {schema['maximum']}", str(schema["maximum"] + 1))
    if kind == "integer":
        yield ("type integer", "1.5")
    if "maxLength" in schema:
        yield (f"maxLength {schema['maxLength']}", "x" * (schema["maxLength"] + 1))
    if "enum" in schema:
        yield ("enum", "not-one-of-the-listed-values")
    if schema.get("format") == "uuid":
        yield ("format uuid", "not-a-uuid")
    if schema.get("format") == "date-time":
        yield ("format date-time", "not-a-date")


def send(base, method, path, body, token):
    request = urllib.request.Request(base + path, data=None if body is None else json.dumps(body).encode(), method=method.upper(),
                                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", default=pathlib.Path(__file__).resolve().parent.parent / "openapi" / "openapi.yaml")
    parser.add_argument("--base", required=True)
    parser.add_argument("--workspace", required=True)
    parser.add_argument("--key", required=True, help="an admin key of --workspace")
    parser.add_argument("--admin-token", required=True, help="the platform admin token")
    arguments = parser.parse_args()
    spec = yaml.safe_load(open(arguments.spec))
    checked, failures = 0, []
    for template, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in ("post", "put", "patch"):
                continue
            content = (operation.get("requestBody") or {}).get("content", {}).get("application/json")
            example = example_of(content or {})
            if example is None or "{" in template.replace("{workspace}", ""):
                continue
            path = template.replace("{workspace}", arguments.workspace)
            # The operation's own security decides: platform operations take the admin token,
            # even on a workspace's path (PUT …/limits).
            schemes = {name for requirement in operation.get("security", []) for name in requirement}
            token = arguments.admin_token if "adminToken" in schemes else arguments.key
            for description, where, value in violations(spec, content["schema"], example):
                status = send(arguments.base, method, path, mutate(example, where, value), token)
                checked += 1
                field = ".".join(str(p) for p in where) or "(body)"
                if status not in ENFORCED:
                    failures.append(f"{operation['operationId']}: {field} breaks '{description}' but got {status}")
    for template, item in spec["paths"].items():
        operation = item.get("get")
        if not operation or "{" in template.replace("{workspace}", ""):
            continue
        path = template.replace("{workspace}", arguments.workspace)
        schemes = {name for requirement in operation.get("security", []) for name in requirement}
        token = arguments.admin_token if "adminToken" in schemes else arguments.key
        for parameter in operation.get("parameters", []):
            parameter = resolve(spec, parameter)
            if parameter.get("in") != "query":
                continue
            for description, value in query_violations(spec, parameter):
                query = urllib.parse.urlencode({parameter["name"]: value})
                status = send(arguments.base, "get", f"{path}?{query}", None, token)
                checked += 1
                if status not in ENFORCED:
                    failures.append(f"{operation['operationId']}: ?{parameter['name']} breaks '{description}' but got {status}")
    for failure in failures:
        print("not enforced:", failure)
    print(f"spec constraints: {checked - len(failures)} passed, {len(failures)} failed")
    return 1 if failures or checked == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
