"""Writes N Rotten Tomatoes rows in the Kaggle layout for the import benchmark.

    python make_rows.py DATA_DIR OUT_DIR [--rows N]

The rows are the real ones of the complete films of
DATA_DIR/rt-kaggle-truncated (the broken last film left out), replicated
with new ids: copy k of film m/x is m/x-rk, titled "Title (rk)", so a
million rows make about 20,000 films of real size. Writes
OUT_DIR/rotten_tomatoes_critic_reviews.csv and rotten_tomatoes_movies.csv.
Only the standard library is used, and nothing is kept in memory but the
source rows.
"""

import argparse
import csv
import sys
from pathlib import Path


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("out")
    ap.add_argument("--rows", type=int, default=1_000_000)
    a = ap.parse_args()
    src = Path(a.data) / "rt-kaggle-truncated"
    complete = {}
    with open(src / "DERIVED_complete_films.tsv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            complete[r["rotten_tomatoes_link"]] = r
    reviews = []
    with open(src / "rotten_tomatoes_critic_reviews.TRUNCATED-1MiB.csv", newline="", encoding="utf-8") as f:
        rd = csv.reader(f)
        header = next(rd)
        link = header.index("rotten_tomatoes_link")
        for row in rd:
            if len(row) == len(header) and row[link] in complete:
                reviews.append(row)
    movies = {}
    with open(src / "rotten_tomatoes_movies.TRUNCATED-1MiB.csv", newline="", encoding="utf-8") as f:
        rd = csv.reader(f)
        mheader = next(rd)
        ml = mheader.index("rotten_tomatoes_link")
        for row in rd:
            if len(row) == len(mheader) and row[ml] in complete:
                movies[row[ml]] = row
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    copies = -(-a.rows // len(reviews))
    title = mheader.index("movie_title")
    with open(out / "rotten_tomatoes_movies.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(mheader)
        for k in range(copies):
            for l, row in movies.items():
                row = list(row)
                row[ml] = f"{l}-r{k}"
                row[title] = f"{row[title]} (r{k})"
                w.writerow(row)
    n = 0
    with open(out / "rotten_tomatoes_critic_reviews.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        for k in range(copies):
            for row in reviews:
                if n == a.rows:
                    break
                row = list(row)
                row[link] = f"{row[link]}-r{k}"
                w.writerow(row)
                n += 1
    print(f"{n} rows of {len(movies)} films x {copies} copies in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
