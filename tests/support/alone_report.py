"""Count the snippet sections that pages include and that run alone.

    cd tests && python -m support.alone_report [topic ...]

Each section runs as if a reader copied it alone into a fresh interpreter in an empty
folder (see ``run_sections_alone``); it counts when it runs without an error and prints
exactly its committed golden output. Prints one line per failing section and a total.
"""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

from .paths import ROOT
from .snippets import alone_problem, page_sections, run_sections_alone


def main(topics: list[str]) -> int:
    files = {p: s for p, s in page_sections().items() if not topics or p.parent.name in topics}
    halves = [dict(list(files.items())[i::2]) for i in range(2)]  # two interpreters, two cores
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = {path: result for part in pool.map(run_sections_alone, halves) for path, result in part.items()}
    total = ok = 0
    for path, results in runs.items():
        for name in files[path]:
            total += 1
            problem = alone_problem(path, name, results[name])
            if problem is None:
                ok += 1
            else:
                print(f"{path.relative_to(ROOT)}:{name}: {problem.splitlines()[-1][:160]}")
    print(f"{ok} of {total} sections run alone and print their golden output")
    return 0 if ok == total else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
