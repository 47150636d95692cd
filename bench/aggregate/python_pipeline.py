"""The reference pipeline in Python for the import benchmark.

    python python_pipeline.py ROWS_DIR DB --model MODEL [--train FLATIRON_TSV_GZ]

Runs the stages `verdict import` runs, on the same Kaggle-layout files
(rotten_tomatoes_critic_reviews.csv + rotten_tomatoes_movies.csv in
ROWS_DIR), with the usual Python tools:

1. read the films file, then the reviews in chunks of 50,000 rows with
   pandas (memory stays flat);
2. read every rating string to 0-100 (fractions, "x out of y", letter
   grades, stars, bare numbers), a row at a time;
3. judge every review text with a scikit-learn model of the same kind as
   Verdict's judge (hashed word 1-2-grams and character 2-5-grams,
   logistic regression by SGD), trained beforehand on the Flatiron Rotten
   Tomatoes snippets and their fresh/rotten labels: `--train` trains it
   and saves it to MODEL (run that first, apart: training is neither
   timed nor counted in the peak memory); unrated reviews take their score
   from it;
4. hash each row's identifying fields (SHA-256) for idempotence;
5. store films and reviews in SQLite (sqlite3, one transaction per chunk,
   executemany, a unique index on the hash and one on the film);
6. aggregate every film in SQL: reviews, % fresh from the labels with its
   Wilson interval, mean score.

Prints one JSON object: rows, seconds, rows_per_s, peak_rss_mb, db_bytes,
films (or, with --train, the training time).
"""

import argparse
import gzip
import hashlib
import io
import json
import math
import os
import pickle
import re
import resource
import sqlite3
import sys
import time

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer
from sklearn.linear_model import SGDClassifier

WORDS = HashingVectorizer(
    n_features=2**20, analyzer="word", ngram_range=(1, 2), alternate_sign=False, norm="l2"
)
CHARS = HashingVectorizer(
    n_features=2**20, analyzer="char_wb", ngram_range=(2, 5), alternate_sign=False, norm="l2"
)


def features(texts):
    return sp.hstack([WORDS.transform(texts), CHARS.transform(texts) * 0.5]).tocsr()


def train(path):
    with gzip.open(path, "rb") as f:
        df = pd.read_csv(
            io.TextIOWrapper(f, encoding="cp1252", newline=""), sep="\t", usecols=["review", "fresh"]
        )
    df = df[df["review"].notna() & (df["review"].str.strip() != "")]
    model = SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=20, tol=None, random_state=1)
    model.fit(features(df["review"].tolist()), (df["fresh"] == "fresh").astype(int))
    return model


LETTERS = {
    "A+": 100, "A": 100, "A-": 91.67, "B+": 83.33, "B": 75, "B-": 66.67, "C+": 58.33,
    "C": 50, "C-": 41.67, "D+": 33.33, "D": 25, "D-": 16.67, "F+": 8.33, "F": 0, "F-": 0,
}
FRACTION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:/|out of|of)\s*(\d+(?:\.\d+)?)\s*(?:stars?)?\s*$", re.I)
NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*$")
STARS = re.compile(r"^\s*([★*]+)(½|1/2)?\s*$")


def read_rating(s):
    """A rating string to 0-100, or NaN when it cannot be read."""
    if not isinstance(s, str) or not s.strip():
        return math.nan
    t = s.strip().replace("−", "-").replace("–", "-")
    m = FRACTION.match(t)
    if m:
        v, best = float(m.group(1)), float(m.group(2))
        return 100.0 * v / best if 0 < best and v <= best else math.nan
    g = t.upper().replace(" ", "")
    if g in LETTERS:
        return float(LETTERS[g])
    m = STARS.match(t)
    if m:
        v = len(m.group(1)) + (0.5 if m.group(2) else 0.0)
        best = 4.0 if v <= 4 else 5.0
        return 100.0 * v / best
    m = NUMBER.match(t)
    if m:
        v = float(m.group(1))
        for best in (5.0, 10.0, 100.0):
            if v <= best:
                return 100.0 * v / best
    return math.nan


SCHEMA = """
CREATE TABLE films (id INTEGER PRIMARY KEY, link TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
    year INTEGER, published REAL);
CREATE TABLE reviews (
    id INTEGER PRIMARY KEY, film_id INTEGER NOT NULL REFERENCES films (id),
    content_hash TEXT NOT NULL UNIQUE, source TEXT NOT NULL, critic TEXT, outlet TEXT,
    published TEXT, body TEXT NOT NULL, score REAL NOT NULL, verdict TEXT NOT NULL,
    inferred INTEGER NOT NULL, rating_raw TEXT, rating_score REAL, judge_p REAL NOT NULL,
    fresh INTEGER, top_critic INTEGER);
CREATE INDEX reviews_film_id ON reviews (film_id);
"""


def verdict_of(score):
    return "positive" if score >= 60 else ("mixed" if score >= 40 else "negative")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("rows")
    ap.add_argument("db")
    ap.add_argument("--model", required=True)
    ap.add_argument("--train")
    ap.add_argument("--chunk", type=int, default=50_000)
    a = ap.parse_args()

    if a.train:
        t0 = time.perf_counter()
        model = train(a.train)
        with open(a.model, "wb") as f:
            pickle.dump(model, f)
        print(json.dumps({"train_seconds": round(time.perf_counter() - t0, 1)}))
        return
    with open(a.model, "rb") as f:
        model = pickle.load(f)

    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(a.db + suffix):
            os.remove(a.db + suffix)
    start = time.perf_counter()
    db = sqlite3.connect(a.db, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(SCHEMA)

    movies = pd.read_csv(
        os.path.join(a.rows, "rotten_tomatoes_movies.csv"),
        usecols=["rotten_tomatoes_link", "movie_title", "original_release_date", "tomatometer_rating"],
    )
    years = pd.to_datetime(movies["original_release_date"], errors="coerce").dt.year
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO films (link, title, year, published) VALUES (?, ?, ?, ?)",
        zip(
            movies["rotten_tomatoes_link"],
            movies["movie_title"].fillna(movies["rotten_tomatoes_link"]),
            [None if math.isnan(y) else int(y) for y in years],
            [None if math.isnan(p) else float(p) for p in movies["tomatometer_rating"]],
        ),
    )
    db.execute("COMMIT")
    film_ids = dict(db.execute("SELECT link, id FROM films"))

    rows = 0
    line = 1
    reviews_path = os.path.join(a.rows, "rotten_tomatoes_critic_reviews.csv")
    for chunk in pd.read_csv(reviews_path, chunksize=a.chunk, dtype=str, keep_default_na=False):
        n = len(chunk)
        texts = chunk["review_content"].str.strip()
        ratings = chunk["review_score"].map(read_rating).to_numpy(dtype=float)
        has_text = (texts != "").to_numpy()
        p = np.full(n, 0.5)
        if has_text.any():
            p[has_text] = model.predict_proba(features(texts[has_text].tolist()))[:, 1]
        rated = ~np.isnan(ratings)
        score = np.where(rated, ratings, np.round(100.0 * p, 1))
        fresh = (chunk["review_type"].str.lower() == "fresh").astype(int).to_numpy()
        top = (chunk["top_critic"].str.lower() == "true").astype(int).to_numpy()
        links = chunk["rotten_tomatoes_link"].tolist()
        critics = chunk["critic_name"].tolist()
        outlets = chunk["publisher_name"].tolist()
        dates = chunk["review_date"].tolist()
        raws = chunk["review_score"].tolist()
        bodies = texts.tolist()
        records = []
        for i in range(n):
            line += 1
            ident = "\x1f".join(
                (links[i], critics[i], outlets[i], dates[i], raws[i], bodies[i])
            )
            film = film_ids.get(links[i])
            if film is None:
                cur = db.execute(
                    "INSERT INTO films (link, title) VALUES (?, ?)", (links[i], links[i])
                )
                film = film_ids[links[i]] = cur.lastrowid
            records.append(
                (
                    film,
                    hashlib.sha256(ident.encode()).hexdigest(),
                    f"{reviews_path}:{line}",
                    critics[i] or None,
                    outlets[i] or None,
                    dates[i] or None,
                    bodies[i],
                    float(score[i]),
                    verdict_of(score[i]),
                    int(not rated[i]),
                    raws[i] or None,
                    None if not rated[i] else float(ratings[i]),
                    float(p[i]),
                    int(fresh[i]),
                    int(top[i]),
                )
            )
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO reviews (film_id, content_hash, source, critic, outlet, published, body,"
            " score, verdict, inferred, rating_raw, rating_score, judge_p, fresh, top_critic)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (content_hash) DO NOTHING",
            records,
        )
        db.execute("COMMIT")
        rows += n

    agg = pd.read_sql_query(
        "SELECT film_id, COUNT(*) AS n, SUM(fresh) AS k, AVG(score) AS score FROM reviews"
        " GROUP BY film_id",
        db,
    )
    z = 1.96
    ph = agg["k"] / agg["n"]
    denom = 1 + z * z / agg["n"]
    centre = (ph + z * z / (2 * agg["n"])) / denom
    half = z * np.sqrt(ph * (1 - ph) / agg["n"] + z * z / (4 * agg["n"] ** 2)) / denom
    agg["positive_percent"] = (100 * ph).round(1)
    agg["low"], agg["high"] = (100 * (centre - half)).round(1), (100 * (centre + half)).round(1)
    db.close()
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "rows": rows,
                "seconds": round(seconds, 2),
                "rows_per_s": round(rows / seconds),
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "db_bytes": os.path.getsize(a.db),
                "films": int(len(agg)),
            }
        )
    )


if __name__ == "__main__":
    sys.exit(main())
