#!/usr/bin/env bash
# Seeds each fuzz target's corpus from the real data beside the repository
# (../shared/data, never copied into the repository: the corpora live in
# fuzz/corpus, which git ignores) and from examples/.
#
#   fuzz/seed.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=$root/../shared/data
corpus=$root/fuzz/corpus
if [ ! -d "$data" ]; then
    echo "SKIP: $data not found; seeding from examples/ only" >&2
fi
mkdir -p "$corpus"/{html_document,front_matter,csv_rows,feed,json_ld,rating}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# HTML pages: the project's examples, news articles, the wider web.
cp "$root"/examples/reviews/*.html "$corpus/html_document/" 2>/dev/null || true
if [ -d "$data/extraction-benchmark/html" ]; then
    i=0
    for f in "$data"/extraction-benchmark/html/*.html.gz; do
        i=$((i + 1)); [ $i -le 40 ] || break
        zcat "$f" > "$corpus/html_document/bench-$i.html"
    done
fi
if [ -f "$data/extraction-web-dev/pages.tar.xz" ]; then
    tar -xJf "$data/extraction-web-dev/pages.tar.xz" -C "$tmp"
    pages=("$tmp"/eval/*)
    for f in "${pages[@]:0:40}"; do cp "$f" "$corpus/html_document/web-$(basename "$f")"; done
fi

# Markdown with front matter and plain text.
cp "$root"/examples/reviews/*.md "$root"/examples/reviews/*.txt "$corpus/front_matter/" 2>/dev/null || true
if [ -d "$root/../shared/seeds" ]; then
    for f in "$root"/../shared/seeds/*; do
        [ -f "$f" ] && cp "$f" "$corpus/front_matter/seed-$(basename "$f")"
    done
fi

# Export rows: the head of every CSV/TSV in the data (a header and rows).
if [ -d "$data" ]; then
    find "$data" -maxdepth 2 -type f \( -name '*.csv' -o -name '*.tsv' \) | while read -r f; do
        head -c 16384 "$f" > "$corpus/csv_rows/$(basename "$(dirname "$f")")-$(basename "$f")"
    done
fi
cp "$root"/examples/*.csv "$corpus/csv_rows/" 2>/dev/null || true

# Feeds: the shapes the fetcher's tests serve, and any feed in the examples.
cat > "$corpus/feed/rss.xml" <<'XML'
<?xml version="1.0"?><rss version="2.0"><channel><title>Reviews</title>
<item><title>Red Rooms review</title><link>http://127.0.0.1/red-rooms</link><guid>1</guid>
<pubDate>Fri, 06 Sep 2024 10:00:00 GMT</pubDate><description>&lt;p&gt;Rating: 4/5&lt;/p&gt;</description></item>
</channel></rss>
XML
cat > "$corpus/feed/atom.xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Reviews</title>
<id>urn:x</id><updated>2024-09-06T10:00:00Z</updated>
<entry><title>Harbour Lights</title><id>urn:1</id><link href="http://127.0.0.1/harbour"/>
<updated>2024-09-06T10:00:00Z</updated><author><name>Ann Lee</name></author>
<content type="html">&lt;p&gt;Score: 88&lt;/p&gt;</content></entry></feed>
XML
cat > "$corpus/feed/feed.json" <<'JSON'
{"version":"https://jsonfeed.org/version/1.1","title":"Reviews","items":[{"id":"1","url":"http://127.0.0.1/a","title":"A","content_html":"<p>3 stars</p>","date_published":"2024-09-06T10:00:00Z"}]}
JSON

# JSON-LD blocks, cut out of the pages above.
python3 - "$corpus/html_document" "$corpus/json_ld" <<'PY'
import os, re, sys
src, dst = sys.argv[1], sys.argv[2]
n = 0
for name in sorted(os.listdir(src)):
    text = open(os.path.join(src, name), encoding="utf-8", errors="replace").read()
    for m in re.finditer(r'<script[^>]*application/ld\+json[^>]*>(.*?)</script>', text, re.S | re.I):
        n += 1
        open(os.path.join(dst, f"ld-{n}.json"), "w").write(m.group(1))
PY
printf '%s' '{"@context":"https://schema.org","@type":"Review","itemReviewed":{"@type":"Movie","name":"Red Rooms"},"reviewRating":{"@type":"Rating","ratingValue":"4.5","bestRating":"5"},"author":{"@type":"Person","name":"Ann Lee"}}' > "$corpus/json_ld/review.json"

# Rating strings: every line of the published table.
if [ -f "$data/rating-strings.tsv" ]; then
    # The first column of the first 2,000 rows, one file each.
    python3 - "$data/rating-strings.tsv" "$corpus/rating" <<'PY'
import sys
rows = open(sys.argv[1], encoding="utf-8", errors="replace").read().splitlines()[1:2001]
for i, row in enumerate(rows):
    open(f"{sys.argv[2]}/r-{i}", "w").write(row.split("\t")[0])
PY
fi
printf '%s' '4.5/5 Stars' > "$corpus/rating/stars"
printf '%s' 'Score: 88' > "$corpus/rating/score"

for t in "$corpus"/*; do
    echo "$(basename "$t"): $(ls "$t" | wc -l) seeds"
done
