#!/usr/bin/env python3
"""scikit-learn and QuaPy baselines for the film-level benchmark.

For each test film, estimates its % positive (the share of fresh reviews,
0-100, the quantity Rotten Tomatoes publishes as the Tomatometer) from the
reviews alone, on exactly the split that `verdict-lab films --export DIR`
writes, and saves the estimates as JSON for `verdict-lab films --sklearn
FILE`, which prints them side by side with Verdict's own:

    python bench/films/baseline.py EXPORT_DIR OUT.json

(bench/films/run.sh does the whole benchmark: export, this script, table.)

EXPORT_DIR holds three UTF-8, tab-separated files with a header row and no
quoting:

    train.tsv    label  film  text                  rt-flatiron snippets, 1 fresh / 0 rotten
    films.tsv    film   set   title  tomatometer    the test films and their published score
    reviews.tsv  film   label rating_score  text    every review of every test film

The classifier is TfidfVectorizer(word 1-2-grams, sublinear tf, min_df 2) +
LogisticRegression(C=4, lbfgs, max_iter 2000), fitted on train.tsv. C=4 is
fixed: on rt-flatiron with 5 folds grouped by film it was the best of
1, 2, 4, 8, 16 (accuracy 0.785, log loss 0.453), and it is the C of the
judge's baseline (bench/judge/sklearn_baseline.py).

Per film, from the reviews that have a text (the labels in reviews.tsv are
never read for prediction):

    cc       classify and count: the share of texts predicted fresh;
    emq      QuaPy's EMQ (Saerens-Latinne-Decaestecker EM) over the
             classifier's posteriors, from the training prevalence;
    pacc     QuaPy's PACC (probabilistic adjusted classify and count); its
             misclassification rates come from val_split=5, i.e. 5-fold
             cross-validated posteriors on train.tsv (sklearn's unshuffled
             StratifiedKFold). The training rows are put in film order first,
             so the folds are blocks of films (on rt-flatiron 95% of the
             films fall wholly in one fold) and the rates are measured mostly
             on films the fold's classifier has not seen, as the test films are;

and one "text + rating" estimate:

    rule_cc  a review with a rating_score (0-100) is fresh iff the score is
             >= 60; a review with no rating but a text takes the classifier's
             prediction; a review with neither is not counted.

All three text estimates use one and the same fitted classifier. Estimates are
in points (0-100), null when a film has nothing to count. A summary (MAE and
mean signed bias, estimate minus Tomatometer, over the films) goes to stderr.
Everything is deterministic: lbfgs, unshuffled folds, random_state=0.
"""

import csv
import json
import sys
import time
from collections import defaultdict

import numpy as np
import quapy as qp
import sklearn
from quapy.method.aggregative import EMQ, PACC
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

C = 4.0
FOLDS = 5  # PACC's val_split
FRESH_FROM = 60.0  # a rating_score at or above this is fresh
METHODS = ("cc", "emq", "pacc", "rule_cc")

csv.field_size_limit(1 << 30)


def model():
    return make_pipeline(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2),
        LogisticRegression(C=C, max_iter=2000, random_state=0),
    )


def read_tsv(path, columns):
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            sys.exit(f"{path}: missing column(s) {', '.join(missing)}")
        return list(reader)


def has_text(text):
    return bool(text and text.strip())


def points(share):
    return None if share is None else round(100.0 * float(share), 4)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: baseline.py EXPORT_DIR OUT.json")
    export, out_path = sys.argv[1], sys.argv[2]

    train = read_tsv(f"{export}/train.tsv", ["label", "film", "text"])
    films = read_tsv(f"{export}/films.tsv", ["film", "set", "title", "tomatometer"])
    reviews = read_tsv(f"{export}/reviews.tsv", ["film", "label", "rating_score", "text"])

    # Film order, so that PACC's unshuffled folds keep each film's reviews together.
    train = sorted((r for r in train if has_text(r["text"])), key=lambda r: r["film"])
    X = [r["text"] for r in train]
    y = np.array([int(r["label"]) for r in train])
    if set(np.unique(y)) != {0, 1}:
        sys.exit(f"{export}/train.tsv: labels must be 0 and 1, both present")

    t0 = time.perf_counter()
    # PACC fits the classifier on each of the 5 folds' training parts (for
    # the held-out posteriors), then once on the whole of train.tsv.
    pacc = PACC(model(), val_split=FOLDS, n_jobs=-1).fit(X, y)
    clf = pacc.classifier
    # EMQ reuses that fitted classifier; it only needs the training prevalence.
    emq = EMQ(clf, fit_classifier=False).fit(X, y)
    train_s = time.perf_counter() - t0
    pos = list(clf.classes_).index(1)

    by_film = defaultdict(list)
    for r in reviews:
        by_film[r["film"]].append(r)
    known = {f["film"] for f in films}
    unknown = sorted(set(by_film) - known)
    if unknown:
        print(f"warning: {len(unknown)} film(s) in reviews.tsv not in films.tsv, ignored: "
              f"{', '.join(unknown[:5])}", file=sys.stderr)

    scores = [float(r["rating_score"]) for r in reviews if r["rating_score"].strip()]
    if any(not 0 <= v <= 100 for v in scores):
        sys.exit(f"{export}/reviews.tsv: rating_score must be 0-100")
    if scores and max(scores) <= 1:
        print("warning: every rating_score is <= 1; they are read as 0-100", file=sys.stderr)

    t0 = time.perf_counter()
    results = {}
    for film in films:
        rows = by_film.get(film["film"], [])
        texts = [r["text"] for r in rows if has_text(r["text"])]
        if texts:
            predicted = clf.predict(texts)
            cc = float(np.mean(predicted == 1))
            emq_share = emq.quantify(texts)[pos]
            pacc_share = pacc.quantify(texts)[pos]
        else:
            predicted, cc, emq_share, pacc_share = [], None, None, None

        fresh, counted, next_text = 0, 0, iter(predicted)
        for r in rows:
            text = has_text(r["text"])
            prediction = next(next_text) if text else None
            if r["rating_score"].strip():
                fresh += float(r["rating_score"]) >= FRESH_FROM
            elif text:
                fresh += int(prediction == 1)
            else:
                continue
            counted += 1

        results[film["film"]] = {
            "n_text": len(texts),
            "cc": points(cc),
            "emq": points(emq_share),
            "pacc": points(pacc_share),
            "n_rule": counted,
            "rule_cc": points(fresh / counted) if counted else None,
        }
    predict_s = time.perf_counter() - t0

    out = {
        "classifier": (
            f"scikit-learn {sklearn.__version__} TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, "
            f"min_df=2) + LogisticRegression(C={C}, max_iter=2000, random_state=0), fitted on train.tsv; "
            f"QuaPy EMQ (training prevalence, no recalibration) and PACC (val_split={FOLDS}: "
            f"{FOLDS}-fold cross-validated posteriors, folds in film order) over the same classifier; "
            f"rule_cc: rating_score >= {FRESH_FROM:g} is fresh, else the classifier on the text"
        ),
        "quapy": qp.__version__,
        "train_rows": len(X),
        "seconds": {"train": round(train_s, 2), "predict": round(predict_s, 2)},
        "films": results,
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(out, f, indent=1)
        f.write("\n")

    summary(films, results, out, out_path)


def summary(films, results, out, out_path):
    err = sys.stderr
    print(f"{len(films)} films, {out['train_rows']} training texts; train {out['seconds']['train']:.1f} s, "
          f"predict {out['seconds']['predict']:.1f} s; QuaPy {out['quapy']}; wrote {out_path}", file=err)
    sets = sorted({f["set"] for f in films})
    groups = [("all films", None)] + [(s, s) for s in sets]
    print("estimate - Tomatometer, over the films with an estimate (n, MAE, mean bias):", file=err)
    print(f"{'':<8}" + "".join(f"{name:>28}" for name, _ in groups), file=err)
    for method in METHODS:
        cells = []
        for _, wanted in groups:
            d = np.array([results[f["film"]][method] - float(f["tomatometer"])
                          for f in films
                          if wanted in (None, f["set"]) and results[f["film"]][method] is not None])
            if len(d):
                cells.append(f"{len(d):>4} {np.mean(np.abs(d)):>6.2f} {np.mean(d):>+7.2f}")
            else:
                cells.append(f"{0:>4} {'-':>6} {'-':>7}")
        print(f"{method:<8}" + "".join(f"{c:>28}" for c in cells), file=err)

if __name__ == "__main__":
    main()
