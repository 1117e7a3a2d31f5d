#!/usr/bin/env python3
"""The script a researcher would write in an afternoon instead of PlanAlign's batch: measures cut
out of plan texts with a regex, character 1–2-gram TF-IDF, sparse X·Xᵀ, pairs of measures of
different plans above a cosine threshold, written as CSV. PlanAlign's corpus benchmark
(`cargo bench --bench corpus`) times it on the same corpus as `planalign batch`.

Usage: tfidf_baseline.py CORPUS_DIR OUT.csv [THRESHOLD]   (needs scikit-learn)
"""
import csv
import pathlib
import re
import sys

from sklearn.feature_extraction.text import TfidfVectorizer

MEASURE = re.compile(r"^\s*[（(]([一二三四五六七八九十百零]+)[）)]\s*(.+)$", re.M)


def main():
    corpus, out = pathlib.Path(sys.argv[1]), sys.argv[2]
    threshold = float(sys.argv[3]) if len(sys.argv) > 3 else 0.3
    plan_of, label_of, texts = [], [], []
    for path in sorted(corpus.glob("*.txt")):
        for match in MEASURE.finditer(path.read_text(encoding="utf-8")):
            plan_of.append(path.stem)
            label_of.append(match.group(1))
            texts.append(match.group(2))
    x = TfidfVectorizer(analyzer="char", ngram_range=(1, 2)).fit_transform(texts)
    sim = (x @ x.T).tocoo()
    with open(out, "w", newline="", encoding="utf-8-sig") as f:
        writer = csv.writer(f)
        writer.writerow(["left_plan", "left_label", "right_plan", "right_label", "score"])
        pairs = 0
        for i, j, s in zip(sim.row, sim.col, sim.data):
            if i < j and s >= threshold and plan_of[i] != plan_of[j]:
                writer.writerow([plan_of[i], label_of[i], plan_of[j], label_of[j], f"{s:.3f}"])
                pairs += 1
    print(f"{len(texts)} measures, {pairs} pairs", file=sys.stderr)


if __name__ == "__main__":
    main()
