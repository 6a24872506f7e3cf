"""`make lint`'s type check: mypy (django-stubs, strict optional) over the whole package.

Services, selectors and API modules must be clean. Elsewhere the errors known when the check came in
are listed in tools/mypy-baseline.txt (by file and message, not line, so unrelated edits do not move
them); any error not listed fails. `--update` rewrites the baseline (only to remove fixed entries,
or with a reason in the commit message).
"""

from __future__ import annotations

import collections
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "tools" / "mypy-baseline.txt"
STRICT = re.compile(r"^sciweek/(api/[^/]+\.py|[^/]+/services(/[^/]+)?\.py|[^/]+/selectors(/[^/]+)?\.py)$")
LINE = re.compile(r"^(?P<file>[^:]+):\d+: error: (?P<message>.*)$")


def errors() -> list[tuple[str, str]]:
    env = os.environ | {"SCIWEEK_TESTING": "1"}
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "mypy"), "sciweek"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    found = []
    for line in done.stdout.splitlines():
        m = LINE.match(line)
        if m:
            found.append((m["file"], m["message"]))
    if done.returncode not in (0, 1) or (done.returncode == 1 and not found):
        sys.exit(done.stdout + done.stderr)
    return found


def main() -> None:
    found = errors()
    strict = [f"{f}: {m}" for f, m in found if STRICT.match(f)]
    rest = collections.Counter(f"{f}: {m}" for f, m in found if not STRICT.match(f))
    if "--update" in sys.argv:
        BASELINE.write_text("".join(f"{k}\n" for k in sorted(rest.elements())), encoding="utf-8")
        print(f"mypy baseline: {sum(rest.values())} errors outside services/selectors/api")
        return
    known = (
        collections.Counter(BASELINE.read_text(encoding="utf-8").splitlines()) if BASELINE.exists() else {}
    )
    new = rest - collections.Counter(known)
    if strict or new:
        for line in strict:
            print(f"services/selectors/api must be clean: {line}")
        for line in sorted(new.elements()):
            print(f"new mypy error: {line}")
        sys.exit(1)
    print(f"mypy: services, selectors and api clean; {sum(rest.values())} known errors elsewhere (baseline)")


if __name__ == "__main__":
    main()
