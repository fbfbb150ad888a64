"""Parses Prometheus text from stdin with the Prometheus project's own Python client
(PyPI `prometheus-client`) and prints what it read as JSON: one object per family,
{"name", "type", "samples": [{"name", "labels", "value"}]}. A document it cannot parse exits 1.
"""

import json
import sys

from prometheus_client.parser import text_string_to_metric_families


def main() -> int:
    text = sys.stdin.read()
    try:
        families = [
            {
                "name": f.name,
                "type": f.type,
                "samples": [
                    {"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples
                ],
            }
            for f in text_string_to_metric_families(text)
        ]
    except Exception as e:  # the parser's error, said plainly
        print(f"not Prometheus text: {e}", file=sys.stderr)
        return 1
    json.dump(families, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
