#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Hold the recognition targets of issue 11 in CI: run tests/data/winget/score.py on the built
trueup and fail when fewer than 95% of the 407 real Add/Remove Programs entries are recognised,
fewer than 90% are right on all four of recognised, publisher, product and version, or a
publisher is spelt more than one way.

usage: winget-targets.py PATH/TO/trueup
"""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
MIN_RECOGNISED = 95.0
MIN_ALL_FOUR = 90.0


def main():
    trueup = sys.argv[1]
    score = os.path.join(HERE, "data", "winget", "score.py")
    proc = subprocess.run(["/usr/bin/python3", score, trueup], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)
    sys.stdout.write(proc.stdout)
    sys.stderr.write(proc.stderr)
    if proc.returncode != 0:
        sys.exit(f"score.py failed ({proc.returncode})")
    last = [l for l in proc.stdout.splitlines() if l.startswith("winget ARP corpus:")]
    if not last:
        sys.exit("score.py printed no summary line")
    m = re.search(r"recognised ([\d.]+)%.*all four ([\d.]+)%.*; (\d+) want_publishers with more than one", last[-1])
    if not m:
        sys.exit(f"cannot read the summary: {last[-1]}")
    recognised, all_four, multi = float(m.group(1)), float(m.group(2)), int(m.group(3))
    bad = []
    if recognised < MIN_RECOGNISED:
        bad.append(f"recognised {recognised}% < {MIN_RECOGNISED}%")
    if all_four < MIN_ALL_FOUR:
        bad.append(f"all four right {all_four}% < {MIN_ALL_FOUR}%")
    if multi > 0:
        bad.append(f"{multi} publishers spelt more than one way")
    if bad:
        sys.exit("winget targets not met: " + "; ".join(bad))
    print(f"winget targets met: recognised {recognised}%, all four {all_four}%, one spelling per publisher")


if __name__ == "__main__":
    main()
