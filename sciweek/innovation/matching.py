"""Ranked suggestions of experts and partner organisations for a technology demand, with reasons.

Text relevance is BM25+ (rank-bm25's BM25Plus) over jieba tokens that are stored with each expert and
organisation (`search_text`), so a request never segments the registry. The index of a region is kept
per process and rebuilt when the registry changes: every request reads a stamp (count and newest
change of experts and organisations, two aggregate queries) and rebuilds only when it moved, so
several processes stay right without sharing memory. BM25+ rather than Okapi BM25: a county registry is
small, and Okapi's idf turns negative for a word most experts list (a dozen experts who all name 小麦),
which would rank an expert who matches below one who does not; BM25+'s idf stays positive. Only documents sharing a token with the demand
are scored (`get_batch_scores` on those), which keeps a 20,000-expert registry fast.

The score (0–100) adds to the normalised BM25 the facts a bureau would weigh: the same technology
field (20), having solved a similar demand before (15), serving the enterprise's town (5).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Count, Max
from rank_bm25 import BM25Plus

from sciweek.orgs.models import OrgUnit

from .choices import Field, Status
from .models import Demand, Expert, Match, PartnerOrg
from .text import tokens

TEXT_WEIGHT, FIELD_WEIGHT, PAST_WEIGHT, TOWN_WEIGHT = 60.0, 20.0, 15.0, 5.0
MAX_QUERY_TOKENS = 64
SIMILAR_DEMANDS = 3


@dataclass
class Doc:
    kind: str  # "expert" | "organization"
    id: int
    name: str
    detail: str  # organisation and discipline, or the organisation's kind
    field: str
    keywords: list[str]
    towns: frozenset[int] = frozenset()
    is_commissioner: bool = False


@dataclass
class Corpus:
    stamp: tuple
    docs: list[Doc]
    bm25: BM25Plus | None
    postings: dict[str, list[int]]
    position: dict[tuple[str, int], int]
    fields: np.ndarray  # each document's field code, for the field bonus in one comparison
    town_docs: dict[int, np.ndarray]  # town id → indices of the experts serving it
    term_scores: dict[str, np.ndarray] = field(default_factory=dict)

    def term_vector(self, word: str) -> np.ndarray:
        """BM25's contribution of one query word to every document (zero where it is absent), from
        rank-bm25 over that word's postings, kept: BM25 adds up over the words of a query, so any demand's
        scores are a sum of these vectors and a warm request scores 20,000 experts in a few additions."""
        found = self.term_scores.get(word)
        if found is None:
            found = np.zeros(len(self.docs))
            ids = self.postings.get(word)
            if ids and self.bm25 is not None:
                # BM25+ gives every document idf·δ for every query word, present or not: the same for all,
                # so it is left out and the order is BM25+'s own.
                floor = self.bm25.idf.get(word, 0.0) * self.bm25.delta
                found[ids] = np.asarray(self.bm25.get_batch_scores([word], ids)) - floor
            self.term_scores[word] = found
        return found


@dataclass
class Suggestion:
    kind: str
    id: int
    name: str
    detail: str
    score: float
    reasons: list[str] = field(default_factory=list)
    is_commissioner: bool = False
    confirmed: bool = False


_lock = threading.Lock()
_corpora: dict[int, Corpus] = {}


def _stamp(region: OrgUnit) -> tuple:
    e = Expert.objects.filter(region=region, is_active=True).aggregate(n=Count("id"), t=Max("updated_at"))
    p = PartnerOrg.objects.filter(region=region).aggregate(n=Count("id"), t=Max("updated_at"))
    return (e["n"], e["t"], p["n"], p["t"])


def _build(region: OrgUnit, stamp: tuple) -> Corpus:
    docs: list[Doc] = []
    texts: list[list[str]] = []
    towns: dict[int, set[int]] = {}
    through = Expert.service_towns.through
    for expert_id, unit_id in through.objects.filter(expert__region=region).values_list(
        "expert_id", "orgunit_id"
    ):
        towns.setdefault(expert_id, set()).add(unit_id)
    experts = Expert.objects.filter(region=region, is_active=True).order_by("id")
    for e in experts.values_list(
        "id", "name", "organization", "discipline", "field", "keywords", "is_commissioner", "search_text"
    ):
        pk, name, org, discipline, fld, keywords, commissioner, text = e
        docs.append(
            Doc(
                "expert",
                pk,
                name,
                f"{org} · {discipline}",
                fld,
                keywords or [],
                frozenset(towns.get(pk, ())),
                commissioner,
            )
        )
        texts.append(text.split())
    for pk, name, _kind, disciplines, keywords, text in (
        PartnerOrg.objects.filter(region=region)
        .order_by("id")
        .values_list("id", "name", "kind", "disciplines", "keywords", "search_text")
    ):
        docs.append(Doc("organization", pk, name, disciplines, "", keywords or []))
        texts.append(text.split())
    postings: dict[str, list[int]] = {}
    for i, words in enumerate(texts):
        for w in set(words):
            postings.setdefault(w, []).append(i)
    bm25 = BM25Plus(texts) if texts and any(texts) else None
    position = {(d.kind, d.id): i for i, d in enumerate(docs)}
    by_town: dict[int, list[int]] = {}
    for i, d in enumerate(docs):
        for t in d.towns:
            by_town.setdefault(t, []).append(i)
    fields = np.array([d.field for d in docs], dtype=object)
    return Corpus(stamp, docs, bm25, postings, position, fields, {t: np.array(v) for t, v in by_town.items()})


def corpus_for(region: OrgUnit) -> Corpus:
    stamp = _stamp(region)
    found = _corpora.get(region.pk)
    if found is None or found.stamp != stamp:
        with _lock:
            found = _corpora.get(region.pk)
            if found is None or found.stamp != stamp:
                found = _corpora[region.pk] = _build(region, stamp)
    return found


def demand_query(demand: Demand) -> list[str]:
    words = (
        demand.search_text.split() if demand.search_text else tokens(f"{demand.title} {demand.description}")
    )
    return list(dict.fromkeys(words))[:MAX_QUERY_TOKENS]


def _similar_solved(demand: Demand, query: list[str]) -> dict[tuple[str, int], str]:
    """Experts / organisations matched to solved demands most like this one → that demand's title."""
    solved = list(
        Demand.objects.filter(unit__path__startswith=region_of(demand).path, status=Status.SOLVED)
        .exclude(pk=demand.pk)
        .exclude(search_text="")
        .values_list("id", "title", "search_text")
    )
    if not solved or not query:
        return {}
    # BM25+ as above (few solved demands, Okapi's idf would turn negative).
    # Its floor is the same for every document, so the order holds; two shared words make "similar".
    scores = BM25Plus([s[2].split() for s in solved]).get_scores(query)
    ranked = sorted(
        (
            (score, s)
            for score, s in zip(scores, solved, strict=True)
            if len(set(query) & set(s[2].split())) >= 2
        ),
        key=lambda x: -x[0],
    )[:SIMILAR_DEMANDS]
    titles = {s[0]: s[1] for _, s in ranked}
    out: dict[tuple[str, int], str] = {}
    for m in Match.objects.filter(demand_id__in=titles).values(
        "demand_id", "kind", "expert_id", "partner_id"
    ):
        key = (m["kind"], m["expert_id"] or m["partner_id"])
        out.setdefault(key, titles[m["demand_id"]])
    return out


def region_of(demand: Demand) -> OrgUnit:
    """The county whose registry serves the demand's town (the nearest county ancestor)."""
    unit = demand.unit
    if unit.kind == "county":
        return unit
    county = unit.get_ancestors().filter(kind="county").last()
    return county or unit.get_parent() or unit


def suggestions(demand: Demand, *, limit: int = 20, region: OrgUnit | None = None) -> list[Suggestion]:
    region = region or region_of(demand)
    corpus = corpus_for(region)
    query = demand_query(demand)
    past = _similar_solved(demand, query)
    if corpus.bm25 is None or not corpus.docs:
        return []
    text = np.zeros(len(corpus.docs))
    for word in query:
        if word in corpus.postings:
            text += corpus.term_vector(word)
    bonus = np.zeros(len(corpus.docs))
    past_idx = [corpus.position[k] for k in past if k in corpus.position]
    bonus[past_idx] += PAST_WEIGHT
    candidates = np.flatnonzero((text > 0) | (bonus > 0))
    if not len(candidates):
        return []
    best = float(text[candidates].max()) or 1.0
    if demand.field:
        bonus += FIELD_WEIGHT * (corpus.fields == demand.field)
    if demand.unit_id in corpus.town_docs:
        bonus[corpus.town_docs[demand.unit_id]] += TOWN_WEIGHT
    total = np.round(TEXT_WEIGHT * np.maximum(text[candidates], 0) / best + bonus[candidates], 1)
    # The best few by score, then ordered exactly (ties by kind and id) in Python.
    keep = candidates[np.argsort(-total, kind="stable")[: limit * 4]]
    ranked = sorted(
        keep.tolist(),
        key=lambda i: (
            -round(TEXT_WEIGHT * max(text[i], 0) / best + bonus[i], 1),
            corpus.docs[i].kind,
            corpus.docs[i].id,
        ),
    )
    confirmed = {
        (m["kind"], m["expert_id"] or m["partner_id"])
        for m in Match.objects.filter(demand=demand).values("kind", "expert_id", "partner_id")
    }
    qset = set(query)
    field_label = Field(demand.field).label if demand.field in Field.values else ""
    out = []
    # Reasons only for those shown: segmenting every candidate's keywords would cost more than the ranking.
    for i in ranked[:limit]:
        doc = corpus.docs[i]
        key = (doc.kind, doc.id)
        reasons: list[str] = []
        if doc.field and doc.field == demand.field:
            reasons.append(f"领域相同：{field_label}")
        hits = [k for k in doc.keywords if qset & set(tokens(k))]
        if hits:
            reasons.append("关键词：" + "、".join(hits[:5]))
        elif text[i] > 0:
            reasons.append("学科/专长与需求描述相关")
        if key in past:
            reasons.append(f"曾解决类似需求「{past[key]}」")
        if demand.unit_id in doc.towns:
            reasons.append(f"服务本镇：{demand.unit.name}")
        score = round(TEXT_WEIGHT * max(float(text[i]), 0.0) / best + float(bonus[i]), 1)
        out.append(
            Suggestion(
                doc.kind, doc.id, doc.name, doc.detail, score, reasons, doc.is_commissioner, key in confirmed
            )
        )
    return out
