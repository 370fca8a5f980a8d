"""Write the IMDB sample that the package carries: 2,500 training and 1,000 test reviews, balanced.

The sample is what the sentiment tutorial trains and tests on, so the site builds without the full
data set (84 MB to download). It is drawn from the official split with a fixed seed: for each split and
label, ``random.Random(0).sample`` of the review rows, kept in the order of the original files. The
output is a gzip file with a fixed time stamp, so the same input always gives the same bytes.

    python benchmarks/make_imdb_sample.py --source imdb_aclImdb_v1_labeled.csv.gz

``--source`` is the labelled CSV of all 50,000 reviews (columns split,label,rating,id,text); the
default reads it through ``rnn_guide.data.resolve("imdb_csv")`` (``$RNN_GUIDE_DATA``).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rnn_guide.data import resolve  # noqa: E402

SIZES = {("train", "neg"): 1_250, ("train", "pos"): 1_250, ("test", "neg"): 500, ("test", "pos"): 500}
OUTPUT = ROOT / "src" / "rnn_guide" / "data" / "files" / "imdb_sample.csv.gz"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", type=Path, help="the labelled CSV (default: found through RNN_GUIDE_DATA)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    source = args.source or resolve("imdb_csv", download=False)
    with gzip.open(source, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    chosen: set[int] = set()
    for (split, label), size in SIZES.items():
        candidates = [i for i, row in enumerate(rows) if row["split"] == split and row["label"] == label]
        chosen.update(random.Random(0).sample(candidates, size))
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows[i] for i in sorted(chosen))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with open(args.output, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as out:
        out.write(text.getvalue().encode("utf-8"))
    print(f"{len(chosen)} reviews -> {args.output} ({args.output.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
