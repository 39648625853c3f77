"""Time against size on pathological inputs: every preset must stay linear.

    python benchmarks/bench_linear.py            # sizes 0.25 to 2 MB (more with --max-mb)
    python benchmarks/bench_linear.py --quick    # tiny sizes: checks the script works

For each adversarial input family (one huge line without a newline, runs of hyphens, blank
lines, digits, mojibake lead bytes, hyphen-break patterns, ...) the default preset cleans the
input at doubling sizes. The table shows microseconds per KB at each size and the growth of
that cost from the smallest to the largest size: about 1.0 means linear time, 2.0 per doubling
would mean quadratic. Nothing here is asserted; the figures go in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import random
import time

FAMILIES = {
    "prose, no newline": lambda n, r: " ".join(
        r.choice(["the", "tbe", "Caf6", "ofleied", "kingwas", "and", "arid", "Ameri-can"])
        for _ in range(n // 6)
    ),
    "hyphens": lambda n, r: "-" * n,
    "word- breaks": lambda n, r: "conver- sation " * (n // 15),
    "line-end ¬ breaks": lambda n, r: "gov¬\nernment\n" * (n // 13),
    "one chain of breaks": lambda n, r: "a-\n" * (n // 3),
    "blank lines": lambda n, r: "\n" * n,
    "digits": lambda n, r: "1 " * (n // 2),
    "page numbers": lambda n, r: "text line here\n\n12\n\n" * (n // 20),
    "mojibake leads": lambda n, r: "Ã" * n,
    "accented": lambda n, r: "é" * n,
    "punctuation": lambda n, r: ".,;:!?'\"()[]{}" * (n // 14),
    "random ascii": lambda n, r: "".join(r.choice("ab -\n.1¬") for _ in range(n)),
}


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--preset", default="default")
    ap.add_argument("--max-mb", type=float, default=2.0)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    from textfix import load_preset

    pipe = load_preset(args.preset)
    pipe("warm up the dictionaries")
    sizes = [2_000, 4_000, 8_000] if args.quick else []
    size = 250_000
    while not args.quick and size <= args.max_mb * 1_000_000:
        sizes.append(size)
        size *= 2
    print(
        f"preset `{args.preset}`; µs per KB at each input size; growth = cost at largest / smallest"
    )
    print()
    print("| input | " + " | ".join(f"{s / 1e6:g} MB" for s in sizes) + " | growth |")
    print("|---|" + "---|" * (len(sizes) + 1))
    for name, make in FAMILIES.items():
        costs = []
        for s in sizes:
            text = make(s, random.Random(s))
            runs = []
            for _ in range(3):
                t = time.perf_counter()
                pipe(text)
                runs.append(time.perf_counter() - t)
            dt = min(runs)  # the least disturbed of three runs
            costs.append(dt * 1e6 / (len(text) / 1000))
        growth = costs[-1] / costs[0] if costs[0] else float("nan")
        print(f"| {name} | " + " | ".join(f"{c:.1f}" for c in costs) + f" | {growth:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
