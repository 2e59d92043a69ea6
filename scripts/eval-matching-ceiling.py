#!/usr/bin/env python3
"""What a perfect engine would reach on a labelled interchange set (`make eval-matching` prints it
after the engine's figures): every person's mutual pairs ranked first. The lift is computed as
../shared/eval/score_matching.py computes it (people with at least k hidden pairs, hits among the
top k over the same people's mutual rate), so the two are comparable.

usage: eval-matching-ceiling.py LABELS.jsonl
"""
import collections
import json
import sys


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    outcomes = collections.defaultdict(list)
    with open(sys.argv[1]) as f:
        for line in f:
            if line.strip():
                pair = json.loads(line)
                for person in (pair["a"], pair["b"]):
                    outcomes[person].append(bool(pair["mutual"]))
    lifts = []
    for top in (1, 3):
        people = [mutual for mutual in outcomes.values() if len(mutual) >= top]
        hits = sum(min(sum(mutual), top) / top for mutual in people) / len(people)
        base = sum(sum(mutual) / len(mutual) for mutual in people) / len(people)
        lifts.append("lift@%d %.2f" % (top, hits / base if base else float("nan")))
    print("a perfect order would give: auc 1.000, " + ", ".join(lifts))


if __name__ == "__main__":
    main()
