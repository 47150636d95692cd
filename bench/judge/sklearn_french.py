#!/usr/bin/env python3
"""scikit-learn TF-IDF + LogisticRegression on the French judge's folds.

Reads the folds that `verdict-lab french --export-splits DIR` writes
(fr-fold-K.jsonl: the very training and test parts `verdict-lab french`
uses, split by title) and writes a JSON list of rows that
`verdict-lab french --sklearn FILE` prints side by side with the judge:

    python bench/judge/sklearn_french.py SPLITS_DIR OUT.json

Model: TfidfVectorizer(word 1-2-grams, sublinear tf, min_df 2, French
accents kept) + LogisticRegression(C=4, liblinear), fitted on each fold's
training part only; P(favourable) from predict_proba, as the judge's.
"""

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from sklearn_baseline import ece  # the same ten-bin ECE as the other benchmarks


def model():
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, lowercase=True)
    return make_pipeline(vec, LogisticRegression(C=4.0, solver="liblinear"))


def row(part, preds):
    p = np.array([x[0] for x in preds])
    y = np.array([x[1] for x in preds])
    pos, neg = y == 1, y == 0
    rec = lambda m, want: float(((p >= 0.5) == want)[m].mean()) if m.any() else 0.0
    return {
        "part": part,
        "n": int(len(y)),
        "titles": len({x[2] for x in preds}),
        "balanced_accuracy": (rec(pos, True) + rec(neg, False)) / 2,
        "accuracy": float(((p >= 0.5) == (y == 1)).mean()),
        "ece": float(ece(p, y)),
    }


def main():
    splits, out = Path(sys.argv[1]), Path(sys.argv[2])
    t0 = time.time()
    preds = defaultdict(list)
    for path in sorted(splits.glob("fr-fold-*.jsonl")):
        rows = [json.loads(l) for l in path.open(encoding="utf-8") if l.strip()]
        train = [r for r in rows if r["split"] == "train"]
        test = [r for r in rows if r["split"] == "test"]
        m = model().fit([r["text"] for r in train], [r["label"] for r in train])
        probs = m.predict_proba([r["text"] for r in test])[:, 1]
        for r, p in zip(test, probs):
            x = (float(p), r["label"], r.get("title", ""))
            preds["all"].append(x)
            preds[r["part"]].append(x)
    result = [row("all", preds.pop("all"))] + [row(k, v) for k, v in sorted(preds.items())]
    out.write_text(json.dumps(result, indent=1))
    print(f"scikit-learn: {len(result[0:1]) and result[0]['n']} test reviews, "
          f"balanced accuracy {result[0]['balanced_accuracy']:.4f}, {time.time() - t0:.0f} s",
          file=sys.stderr)


if __name__ == "__main__":
    main()
