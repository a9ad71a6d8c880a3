"""A deterministic news-style corpus for benchmarks (fixed seed, no text copied from elsewhere).

Each article (~600 words) mixes paragraphs of the project's own example articles
(examples/articles) with sentences built from templates written here, filled with
names from the bundled gazetteer (schema/gazetteer/*.yaml): countries, their capitals
and demonyms, armed groups, organisations, people, places and agreements. Article
``i`` depends only on (seed, i), so the 1k corpus is the first 1k articles of the 10k
one, and so on. Articles are JSON lines (title, url, published, text), written in
shards of 1,000 articles (``kg ingest`` refuses files above 20 MB by default).

    python bench/corpus.py 10000 bench/.data/corpus-10k
"""
from __future__ import annotations

import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261122
SHARD = 1000
TARGET_WORDS = 565   # articles end up at ~600 words on average

# -- sentence templates (written for this benchmark) -------------------------------------
# Slots: {c1} {c2} countries, {cap1} capital of c1, {dem1} demonym of c1, {g1} {g2} armed
# groups, {o1} organisations, {p1} {p2} people, {l1} places, {a1} agreements,
# {day} weekday, {month} month name, {year} a year, {n} a number.
FACTUAL = [
    "{c1} supports {g1}, officials in {cap1} said on {day}.",
    "{g1} is backed by {c1}, according to a report seen by reporters.",
    "The {dem1}-backed {g1} said it had taken control of several villages near {l1}.",
    "{c1} supplied {g1} with drones and ammunition last {month}, two diplomats said.",
    "{g1} attacked positions held by {g2} near {l1} on {day}, killing at least {n} fighters.",
    "{g1} shelled {l1} overnight, residents said.",
    "{c1} and {c2} held talks in {cap1} on the future of the {a1}.",
    "{p1} met {p2} in {l1} on {day} to discuss a ceasefire.",
    "{p1} spoke with {p2} by phone about the fighting around {l1}.",
    "{c1} opposes {g1} and has called it a threat to regional stability.",
    "{g1} vowed to fight {g2} until the last of its fighters had left {l1}.",
    "Airstrikes carried out by {c1} in {l1} destroyed a bridge and a fuel depot.",
    "{c1} signed the {a1} in {year}, and officials in {cap1} say it still applies.",
    "{o1} condemned the attack on {l1} and called on all sides to respect the {a1}.",
    "{g1}, whose main backer {c1} denies arming it, rejected the proposal.",
    "{c1} provided weapons to {g1} in {month} {year}, a confidential report said.",
    "{c1} is the main ally of {g1} in the conflict, analysts in {cap2} said.",
    "{p1} received {p2} in {cap1} on {day} for talks on security cooperation.",
    "{c1} deployed troops to support {g1} after the fall of {l1}.",
    "{g1} ambushed a convoy of {g2} near {l1}, a spokesman for the group said.",
]
HEDGED = [
    "{c1} may have supplied {g1} with weapons, according to unconfirmed reports.",
    "{c1} did not support {g1}, the foreign ministry in {cap1} insisted.",
    "Some observers believe {c1} could be quietly funding {g1}.",
]
FILLER = [
    "Aid agencies said thousands of families had fled the fighting in recent weeks.",
    "Prices of bread and fuel have more than doubled since the start of the year.",
    "The United Nations envoy urged both sides to return to the negotiating table.",
    "Local officials said the road to the border crossing had been closed for days.",
    "Hospitals in the area reported shortages of medicine and electricity.",
    "Diplomats said a new round of negotiations could open before the end of the {month}.",
    "Satellite images showed damaged buildings and burned vehicles along the main road.",
    "Residents described long queues at bakeries and petrol stations.",
    "The government said it would publish a full account of the incident.",
    "Analysts said the fighting could draw in neighbouring states if it continued.",
    "Journalists were not allowed to enter the area to verify the claims independently.",
    "A spokesman declined to comment on the reports when contacted on {day}.",
    "The ministry said {n} people had been detained in connection with the unrest.",
    "Humanitarian workers warned that the coming winter would make matters worse.",
    "The talks, which began in {month}, have so far produced no written agreement.",
]
TITLES = [
    "{c1} steps up support for {g1} as fighting spreads to {l1}",
    "{p1} and {p2} meet in {l1} amid ceasefire push",
    "Clashes between {g1} and {g2} near {l1} leave dozens dead",
    "{o1} warns of humanitarian crisis around {l1}",
    "{c1} and {c2} discuss the {a1} in {cap1}",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]


def _labels(name: str) -> list[dict]:
    with open(ROOT / "schema" / "gazetteer" / f"{name}.yaml", encoding="utf-8") as handle:
        return [row for row in (yaml.safe_load(handle) or []) if isinstance(row, dict) and row.get("label")]


class Names:
    """Names to fill the templates, from the bundled gazetteer (sorted: deterministic)."""

    def __init__(self):
        countries = [r for r in _labels("countries") if r.get("capital") and r.get("demonyms")]
        self.countries = sorted((r["label"], r["capital"], r["demonyms"][0]) for r in countries)
        self.groups = sorted(r["label"] for r in _labels("armed_groups"))
        self.orgs = sorted(r["label"] for r in _labels("organizations"))
        self.people = sorted(r["label"] for r in _labels("persons"))
        self.places = sorted(r["label"] for r in _labels("locations"))
        self.agreements = sorted(r["label"] for r in _labels("agreements"))


def example_paragraphs() -> list[str]:
    """Paragraphs of the bundled example articles, as kg reads them (HTML and JSON unpacked)."""
    from kg.loaders.articles import read_articles
    from kg.loaders.clean import clean

    paragraphs = []
    for article in read_articles([ROOT / "examples" / "articles"]):
        if isinstance(article, Exception):
            continue
        text = clean(article).text
        paragraphs.extend(p.strip() for p in text.splitlines() if len(p.split()) >= 25)
    return paragraphs


class Generator:
    def __init__(self, seed: int = SEED):
        self.seed = seed
        self.names = Names()
        self.paragraphs = example_paragraphs()

    def _slots(self, rng: random.Random, day: date) -> dict:
        n = self.names
        (c1, cap1, dem1), (c2, cap2, _) = rng.sample(n.countries, 2)
        g1, g2 = rng.sample(n.groups, 2)
        p1, p2 = rng.sample(n.people, 2)
        return {"c1": c1, "cap1": cap1, "dem1": dem1, "c2": c2, "cap2": cap2, "g1": g1, "g2": g2,
                "o1": rng.choice(n.orgs), "p1": p1, "p2": p2, "l1": rng.choice(n.places),
                "a1": rng.choice(n.agreements), "day": rng.choice(DAYS), "month": MONTHS[day.month - 1],
                "year": rng.randint(1995, day.year), "n": rng.randint(2, 90)}

    def article(self, index: int) -> dict:
        rng = random.Random(f"{self.seed}:{index}")
        day = date(2015, 1, 1) + timedelta(days=rng.randrange(3650))
        slots = self._slots(rng, day)
        paragraphs, words = [], 0
        # one or two paragraphs of a real example article, then generated reporting
        for paragraph in rng.sample(self.paragraphs, rng.choice((1, 2))):
            paragraphs.append(paragraph)
            words += len(paragraph.split())
        while words < TARGET_WORDS:
            if rng.random() < 0.3:         # the story moves on to other actors
                slots = self._slots(rng, day)
            sentences = []
            for _ in range(rng.randint(3, 6)):
                roll = rng.random()
                pool = FACTUAL if roll < 0.45 else HEDGED if roll < 0.5 else FILLER
                sentences.append(rng.choice(pool).format(**slots))
            paragraph = " ".join(sentences)
            paragraphs.insert(rng.randint(1, len(paragraphs)), paragraph)
            words += len(paragraph.split())
        paragraphs.append(f"(Dispatch {index:06d}, compiled for the kg benchmark.)")
        title = rng.choice(TITLES).format(**slots)
        return {"id": f"bench-{index:06d}", "title": title,
                "url": f"https://example.org/bench/{day.isoformat()}/{index:06d}",
                "published": day.isoformat(), "text": "\n\n".join(paragraphs)}


def write_corpus(count: int, folder: Path, seed: int = SEED) -> dict:
    """Write ``count`` articles as shards of JSON lines into ``folder``; return counts.

    A folder already holding the same corpus (same count and seed) is kept as is."""
    folder = Path(folder)
    stamp = folder / ".corpus.json"
    if stamp.exists():
        info = json.loads(stamp.read_text())
        if info.get("count") == count and info.get("seed") == seed:
            return info
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("part-*.jsonl"):
        old.unlink()
    generator = Generator(seed)
    words = 0
    for start in range(0, count, SHARD):
        with open(folder / f"part-{start // SHARD:05d}.jsonl", "w", encoding="utf-8") as out:
            for index in range(start, min(count, start + SHARD)):
                article = generator.article(index)
                words += len(article["text"].split())
                out.write(json.dumps(article, ensure_ascii=False) + "\n")
    info = {"count": count, "seed": seed, "words": words}
    stamp.write_text(json.dumps(info))
    return info


def read_texts(folder: Path, limit: int | None = None) -> list[dict]:
    out = []
    for part in sorted(Path(folder).glob("part-*.jsonl")):
        with open(part, encoding="utf-8") as handle:
            for line in handle:
                out.append(json.loads(line))
                if limit is not None and len(out) >= limit:
                    return out
    return out


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: corpus.py COUNT FOLDER")
    print(json.dumps(write_corpus(int(sys.argv[1]), Path(sys.argv[2]))))
