"""Scores main-content extractors on the extraction benchmark, side by side.

    python trafilatura_bench.py DATA_DIR [--rust FILE] [--repeat N]
    python trafilatura_bench.py --web WEB_DIR [--rust FILE] [--repeat N]

DATA_DIR is ../shared/data/extraction-benchmark (html/*.html.gz and
ground-truth.json). FILE is what `extraction_bench --out FILE` wrote: the
texts Verdict extracted and the time it took. Every extractor, Verdict's
included, is scored here by the same code, with the benchmark's metric:
tokens are runs of \\w+; 4-gram shingles (one shingle when a text is
shorter); per page tp/fp/fn over the shingle multisets, normalised to sum 1;
precision and recall per page (1 when fp = fn = 0), each averaged over
pages; F1 of the two averages.

With --web, WEB_DIR is ../shared/data/extraction-web-dev/pages.tar.xz
unpacked (eval/ and evaldata.json) and FILE what `extraction_bench --web
WEB_DIR --out FILE` wrote. The metric is that set's own: the share of all
`with` snippets found in the extracted text (plain substring match) and the
share of all `without` snippets absent from it, each summed over pages;
reported for the tuning part, the held-out part (one page in three, by an
FNV-1a hash of its URL, as crates/extract/tests/support/web_dev.rs splits)
and the whole, for every extractor alike.

Timings cover the extraction call only (the page already decoded in
memory), single-threaded; with --repeat N the fastest of N runs counts.
"""

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)


def shingles(text, n=4):
    tokens = TOKEN.findall(text or "")
    out = []
    for i in range(0, max(1, len(tokens) - n + 1)):
        s = " ".join(tokens[i : i + n])
        if s:
            out.append(s)
    return Counter(out)


def tp_fp_fn(true, pred):
    t, p = shingles(true), shingles(pred)
    tp = fp = fn = 0
    for key in set(t) | set(p):
        tc, pc = t.get(key, 0), p.get(key, 0)
        tp += min(tc, pc)
        fp += max(0, pc - tc)
        fn += max(0, tc - pc)
    s = tp + fp + fn
    if s > 0:
        tp, fp, fn = tp / s, fp / s, fn / s
    return tp, fp, fn


def precision(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall(tp, fp, fn):
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def score(truth, predictions):
    ps, rs = [], []
    for pid, true in truth.items():
        m = tp_fp_fn(true, predictions.get(pid, ""))
        ps.append(precision(*m))
        rs.append(recall(*m))
    p, r = sum(ps) / len(ps), sum(rs) / len(rs)
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return f1, p, r


def run(extract, pages, repeat):
    best, texts = float("inf"), {}
    for _ in range(repeat):
        out = {}
        start = time.perf_counter()
        for pid, html in pages.items():
            try:
                out[pid] = extract(html) or ""
            except Exception:  # an extractor failing on a page scores 0 there
                out[pid] = ""
        best = min(best, time.perf_counter() - start)
        texts = out
    return texts, best


def held_out(url):
    """One page in three is held out: FNV-1a (64 bits) of the URL's bytes."""
    h = 0xCBF29CE484222325
    for b in url.encode("utf8"):
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h % 3 == 0


def web_tally(data, texts, part):
    """(found, with, avoided, without) over the pages of one part."""
    found = total_with = avoided = total_without = 0
    for url, item in data.items():
        if part == "tuning" and held_out(url) or part == "held-out" and not held_out(url):
            continue
        text = texts.get(url, "")
        withs = [s for s in item["with"] if s is not None]
        withouts = [s for s in item["without"] if s is not None]
        total_with += len(withs)
        found += sum(s in text for s in withs)
        total_without += len(withouts)
        avoided += sum(s not in text for s in withouts)
    return found, total_with, avoided, total_without


def web(args):
    path = args.web / "evaldata.json"
    if not path.exists():
        print(f"SKIP: {path} not found (unpack ../shared/data/extraction-web-dev/pages.tar.xz there)")
        return 0
    data = dict(sorted(json.loads(path.read_text()).items()))
    pages = {url: (args.web / "eval" / item["file"]).read_bytes() for url, item in data.items()}

    import trafilatura
    from importlib.metadata import version

    rows = []
    if args.rust:
        rust = json.loads(args.rust.read_text())
        rows.append(("verdict (Rust, extract --text)", rust["predictions"], rust["seconds"]))
    texts, seconds = run(lambda h: trafilatura.extract(h), pages, args.repeat)
    rows.append((f"trafilatura {version('trafilatura')} (default)", texts, seconds))

    n = len(pages)
    parts = ["tuning", "held-out", "whole"]
    sizes = {part: sum((part == "whole") or (held_out(u) == (part == "held-out")) for u in data) for part in parts}
    reference = rows[-1][2]
    print(
        f"web-dev: {n} pages (tuning {sizes['tuning']}, held-out {sizes['held-out']}); found = share of `with` "
        "snippets in the text, avoided = share of `without` snippets not in it; timings single-threaded, "
        "fastest of runs; ratio = pages/s over trafilatura (default)"
    )
    print(f"| {'extractor':<38} | part     | found | avoided | pages/s | ms/page | ratio |")
    print(f"|{'-' * 40}|----------|-------|---------|---------|---------|-------|")
    for name, texts, seconds in rows:
        for part in parts:
            found, total_with, avoided, total_without = web_tally(data, texts, part)
            speed = (
                f"{n / seconds:7.0f} | {1000 * seconds / n:7.2f} | {reference / seconds:5.1f}"
                if part == "whole"
                else f"{'':7} | {'':7} | {'':5}"
            )
            print(
                f"| {name:<38} | {part:<8} | {found / total_with:.3f} | {avoided / total_without:.3f}   | {speed} |"
            )
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data", type=Path, nargs="?")
    ap.add_argument("--web", type=Path, help="the web-dev set, unpacked")
    ap.add_argument("--rust", type=Path, help="JSON written by extraction_bench --out")
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    if args.web:
        return web(args)
    if args.data is None:
        ap.error("DATA_DIR or --web WEB_DIR")

    truth_path = args.data / "ground-truth.json"
    if not truth_path.exists():
        print(f"SKIP: {truth_path} not found (the benchmark data lives in ../shared/data)")
        return 0
    truth = {k: v["articleBody"] for k, v in json.loads(truth_path.read_text()).items()}
    truth = dict(sorted(truth.items()))
    pages = {}
    for pid in truth:
        with gzip.open(args.data / "html" / f"{pid}.html.gz", "rt", encoding="utf8", errors="replace") as f:
            pages[pid] = f.read()

    import lxml.html
    import trafilatura
    from importlib.metadata import version
    from readability import Document

    def readability_text(html):
        summary = Document(html).summary(html_partial=True)
        return " ".join(lxml.html.fromstring(summary).itertext())

    extractors = [
        (f"trafilatura {version('trafilatura')} (default)", lambda h: trafilatura.extract(h)),
        (
            f"trafilatura {version('trafilatura')} (no comments)",
            lambda h: trafilatura.extract(h, include_comments=False),
        ),
        (f"readability-lxml {version('readability-lxml')}", readability_text),
    ]

    rows = []
    if args.rust:
        rust = json.loads(args.rust.read_text())
        rows.append(("verdict (Rust, extract --text)", score(truth, rust["predictions"]), rust["seconds"]))
    for name, fn in extractors:
        texts, seconds = run(fn, pages, args.repeat)
        rows.append((name, score(truth, texts), seconds))

    n = len(pages)
    reference = next(s for name, _, s in rows if name.endswith("(default)"))
    print(f"{n} pages; timings single-threaded, fastest of runs; ratio = pages/s over trafilatura (default)")
    print(f"| {'extractor':<38} | F1    | precision | recall | pages/s | ms/page | ratio |")
    print(f"|{'-' * 40}|-------|-----------|--------|---------|---------|-------|")
    for name, (f1, p, r), seconds in rows:
        print(
            f"| {name:<38} | {f1:.3f} | {p:.3f}     | {r:.3f}  | {n / seconds:7.0f} | {1000 * seconds / n:7.2f} | {reference / seconds:5.1f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
