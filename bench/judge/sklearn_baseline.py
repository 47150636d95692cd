#!/usr/bin/env python3
"""scikit-learn TF-IDF + LogisticRegression on the judge's benchmark splits.

Reads the splits that `verdict-lab eval --export-splits DIR` writes (the
very folds and held-out parts `verdict-lab eval` uses) and writes a JSON
file that `verdict-lab eval --sklearn FILE` prints side by side with the
judge's numbers:

    python bench/judge/sklearn_baseline.py SPLITS_DIR OUT.json

Model: TfidfVectorizer(word 1-2-grams, sublinear tf, min_df 2) +
LogisticRegression(C=4, liblinear for two classes, lbfgs multinomial for
the scale classes): a linear baseline done the usual way. Only the
training part of each fold is fitted, vectoriser included.
"""

import json
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline


def model(multiclass=False):
    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2, lowercase=True)
    if multiclass:
        clf = LogisticRegression(C=4.0, max_iter=2000)
    else:
        clf = LogisticRegression(C=4.0, solver="liblinear")
    return make_pipeline(vec, clf)


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def ece(p, y, bins=10):
    p = np.asarray(p, dtype=float)
    y = np.asarray(y, dtype=float)
    idx = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        m = idx == b
        if m.any():
            total += abs(p[m].sum() - y[m].sum())
    return total / len(p)


def binary_cv(rows):
    folds = sorted({r["fold"] for r in rows})
    probs, labels = [], []
    for k in folds:
        train = [r for r in rows if r["fold"] != k and "label" in r]
        test = [r for r in rows if r["fold"] == k and "label" in r]
        m = model().fit([r["text"] for r in train], [r["label"] for r in train])
        probs.extend(m.predict_proba([r["text"] for r in test])[:, 1])
        labels.extend(r["label"] for r in test)
    return result(probs, labels)


def binary_split(rows):
    train = [r for r in rows if r["fold"] == "train" and "label" in r]
    test = [r for r in rows if r["fold"] == "test" and "label" in r]
    m = model().fit([r["text"] for r in train], [r["label"] for r in train])
    probs = m.predict_proba([r["text"] for r in test])[:, 1]
    return result(probs, [r["label"] for r in test]), m, test


def result(probs, labels):
    probs = np.asarray(probs)
    labels = np.asarray(labels)
    acc = float(((probs >= 0.5) == (labels == 1)).mean())
    return {"value": 100.0 * acc, "ece": float(ece(probs, labels)), "n": int(len(labels))}


def scale_cv(rows, key):
    folds = sorted({r["fold"] for r in rows})
    right = n = 0
    for k in folds:
        train = [r for r in rows if r["fold"] != k]
        test = [r for r in rows if r["fold"] == k]
        m = model(multiclass=True).fit([r["text"] for r in train], [r[key] for r in train])
        pred = m.predict([r["text"] for r in test])
        right += int(sum(int(p) == r[key] for p, r in zip(pred, test)))
        n += len(test)
    return {"value": 100.0 * right / n, "n": n}


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    splits, out = Path(sys.argv[1]), Path(sys.argv[2])
    results, seconds = {}, {}
    speed = None
    for key, fn in [
        ("mr", lambda: binary_cv(read(splits / "mr.jsonl"))),
        ("imdb", lambda: binary_split(read(splits / "imdb.jsonl"))[0]),
        ("scale3", lambda: scale_cv(read(splits / "scale.jsonl"), "class3")),
        ("scale4", lambda: scale_cv(read(splits / "scale.jsonl"), "class4")),
        ("rt", None),
    ]:
        t = time.time()
        if key == "rt":
            res, m, test = binary_split(read(splits / "rt.jsonl"))
            results[key] = res
            # Prediction speed on snippets, for reference (vectorise + predict).
            texts = [r["text"] for r in test]
            t0 = time.time()
            m.predict_proba(texts)
            speed = len(texts) / (time.time() - t0)
        else:
            results[key] = fn()
        seconds[key] = round(time.time() - t, 1)
        print(f"{key:8} {results[key]['value']:6.2f}  ({seconds[key]} s)", file=sys.stderr)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "name": "sklearn",
                "model": "TfidfVectorizer(1-2-grams, sublinear_tf, min_df=2) + LogisticRegression(C=4)",
                "results": results,
                "seconds": seconds,
                "snippets_per_s": speed,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
