"""Checks the gateway's OpenAPI description with independent validators, and the gateway's real
answers against it.

Usage: check.py SPEC.json ANSWERS.json

SPEC is what the gateway served at /v1/openapi.json. ANSWERS is a list of
{"method", "path" (the path template, as in the spec), "status", "body", "headers"}: each real
answer must be described by the spec (its status among the operation's responses, its body
valid against that response's schema under OpenAPI 3.1's dialect, its declared headers present).
Prints one line per problem and exits 1 if there is any.
"""

import json
import sys

from openapi_spec_validator import validate
from openapi_schema_validator import OAS31Validator


def main() -> int:
    spec = json.load(open(sys.argv[1]))
    answers = json.load(open(sys.argv[2]))
    validate(spec)  # raises on an invalid document
    problems = []
    for a in answers:
        where = f"{a['method'].upper()} {a['path']} -> {a['status']}"
        operation = spec["paths"].get(a["path"], {}).get(a["method"].lower())
        if operation is None:
            problems.append(f"{where}: the route is not described")
            continue
        response = operation["responses"].get(str(a["status"]))
        if response is None:
            problems.append(f"{where}: the status is not described")
            continue
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            problems.append(f"{where}: no JSON schema for this answer")
            continue
        # The document's own `#/components/...` references resolve against the root schema:
        # give it the document's components.
        rooted = {"allOf": [schema], "components": spec.get("components", {})}
        validator = OAS31Validator(rooted)
        for error in validator.iter_errors(a["body"]):
            path = "/".join(str(p) for p in error.absolute_path)
            problems.append(f"{where}: body at '{path}': {error.message}")
        for header in response.get("headers", {}):
            if header.lower() not in {h.lower() for h in a.get("headers", {})}:
                problems.append(f"{where}: the header {header} is missing")
    for p in problems:
        print(p)
    print(f"checked {len(answers)} answers against {len(spec['paths'])} paths")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
