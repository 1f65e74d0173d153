"""Answer "what is like this role?": similar open postings (each with a reason) and similar companies.

Every query goes through `embeddings.ranker.Ranker`, the path bench/quality.py measures: dense candidates from the
FAISS index, BM25 and ESCO occupation agreement fused, then spread across companies. Exclusions and filters
decide which postings may appear; an opening carried by several boards is shown once.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Iterable

import numpy as np

from datahome.settings import Settings
from embeddings.text import pasted_text
from recommend.companies import company_entry, rank_companies
from recommend.facts import level_of, specialisms_of
from recommend.filters import Filters

__all__ = ["COMPANIES_SHOWN", "Recommender", "SimilarResult", "rank_companies"]

COMPANIES_SHOWN = 5
# Ranked postings read per query beyond k: their companies are the candidates for "similar companies".
COMPANY_CANDIDATES = 50
# Below this many open postings how often a skill occurs says little; reasons keep the skills' text order.
RARITY_MIN_POSTINGS = 20


@dataclass
class SimilarResult:
    """The answer for one query: postings best first, and the companies hiring most like it."""

    postings: list[dict] = field(default_factory=list)
    companies: list[dict] = field(default_factory=list)


class Recommender:
    """The index, the encoder and the warehouse behind ``plenty similar`` and the nightly matches."""

    def __init__(self, settings: Settings, index, encoder, model: str):
        self.settings = settings
        self.index = index
        self._encoder = encoder
        self.model = model
        self._tagger = None
        self._skill_terms = None
        self._watches_index = False  # `open` loaded the index from the data home (and reloads it when saved)
        self._index_stamp = None  # of the index loaded by `open`

    @classmethod
    def open(cls, settings: Settings, encoder=None) -> "Recommender":
        """Load the index of the configured model; the encoder is loaded on first query. On a data home with no
        open postings and no index yet, the recommender is empty (every answer says there is nothing yet) and
        picks up the first index saved; with postings but no index it raises `IndexMissing`."""
        from corpus.encoders import stored_name
        from embeddings.errors import IndexMissing
        from embeddings.index import VectorIndex, index_stamp
        from warehouse.db import connect
        from warehouse.postings import posting_counts

        model = stored_name(settings, encoder)
        stamp = index_stamp(settings.index_dir)  # before the load: a save during it is seen next time
        try:
            index = VectorIndex.load(settings.index_dir, expected_model=model)
        except IndexMissing:
            with connect(settings.db_path) as con:
                if posting_counts(con)["open"]:
                    raise
            index = None
        recommender = cls(settings, index, encoder, model)
        recommender._watches_index, recommender._index_stamp = True, stamp
        return recommender

    def _refresh_index(self) -> None:
        """Load the index again when it was saved since `open` loaded it (a long-lived process outlives nights)."""
        from embeddings.index import VectorIndex, index_stamp

        if not self._watches_index:
            return
        stamp = index_stamp(self.settings.index_dir)
        if stamp != self._index_stamp and stamp is not None:
            self.index = VectorIndex.load(self.settings.index_dir, expected_model=self.model)
            self._index_stamp = stamp

    @property
    def empty(self) -> bool:
        """True when the index holds no postings (or there is no index yet on a data home without postings)."""
        return self.index is None or len(self.index) == 0

    @property
    def encoder(self):
        """The sentence encoder, loaded when first needed."""
        if self._encoder is None:
            from corpus.encoders import load_encoder_for

            self._encoder = load_encoder_for(self.settings)
        return self._encoder

    @property
    def tagger(self):
        """The ESCO occupation tagger of this model (built once)."""
        if self._tagger is None:
            from corpus.tags import occupation_tagger

            self._tagger = occupation_tagger(self.settings, self.encoder)
        return self._tagger

    @property
    def skill_terms(self) -> frozenset[str]:
        """The ESCO skill terms reasons are made of."""
        if self._skill_terms is None:
            from embeddings.skills import load_skill_terms

            self._skill_terms = load_skill_terms(cache_dir=self.settings.cache_dir)
        return self._skill_terms

    def similar(self, texts: list[str], k: int = 10, exclude_companies: tuple[str, ...] = (),
                exclude_posting_ids: Iterable[int] = (), exclude_company_ids: Iterable[str] = (), *,
                titles: list[str] | None = None, filters: Filters | list[Filters] | None = None,
                today: date | None = None) -> list[SimilarResult]:
        """The ``k`` most similar open postings and the most similar companies for each query text.

        ``titles`` are the queries' role titles (occupations are read from them; default: each text's first
        line). ``exclude_companies`` are display names (case-insensitive), ``exclude_company_ids`` normalised
        company ids (companies in a cool-off) and ``exclude_posting_ids`` postings never to suggest (applied,
        dismissed; excluding any copy of an opening excludes the opening); ``filters`` (one for all queries, or
        one per query) narrow the postings (dates relative to ``today``, default the current UTC date).
        """
        if not texts:
            return []
        self._refresh_index()
        if self.empty:
            return [SimilarResult() for _ in texts]
        titles = titles or [_first_line(t) for t in texts]
        texts = [pasted_text(t) for t in texts]  # read as a posting's text is embedded (from the job's part on)
        filters = filters if isinstance(filters, list) else [filters or Filters()] * len(texts)
        today = today or datetime.now(timezone.utc).date()
        prepared = self._prepared()
        if prepared is None:
            return [SimilarResult() for _ in texts]
        corpus, ranker = prepared.corpus, prepared.ranker
        masks = {f: self._allowed(corpus, f, today, exclude_companies, exclude_company_ids,
                                  exclude_posting_ids) for f in set(filters)}
        query_vectors = self.encoder.encode(list(texts))
        # Each title's occupation profile is read once, alone (as the ranker reads a query's), and serves both the
        # ranking and the companies.
        # A lone query whose title is its text (a one-line query) has that vector already.
        alone = [self.tagger.profiles(query_vectors[:1] if len(texts) == 1 and title == texts[0]
                                      else self.encoder.encode([title]), [title]) for title in titles]
        q_profiles = (np.concatenate([p for p, _ in alone]), np.concatenate([w for _, w in alone]))
        wanted = max(k, COMPANY_CANDIDATES) + len(corpus.canonical)
        hits = [ranker.search([text], wanted, query_titles=[title], allowed=masks[f],
                              query_vectors=query_vectors[i:i + 1], query_levels=[level_of(title)],
                              query_specialisms=[specialisms_of(title)], query_profiles=alone[i])[0]
                for i, (text, title, f) in enumerate(zip(texts, titles, filters))]
        rows = [self._fold(row, corpus)[:k] for row in hits]
        details = prepared.details({p for row in rows for p, _, _ in row})
        companies = [self._companies(prepared, row, query_vectors[i], (q_profiles[0][i], q_profiles[1][i]),
                                     masks[filters[i]])
                     for i, row in enumerate(hits)]
        results = []
        for title, text, row, company_rows, f in zip(titles, texts, rows, companies, filters):
            floor = (f.min_salary, f.salary_currency) if f.min_salary is not None else None
            share = ranker.lexical.share_with if len(corpus.ids) >= RARITY_MIN_POSTINGS else None
            postings = self._postings(title, text, row, prepared, details, share, floor)
            results.append(SimilarResult(postings=postings, companies=company_rows))
        return results

    def companies_like(self, name: str, top: int = COMPANIES_SHOWN, filters: Filters | None = None,
                       today: date | None = None) -> tuple[dict, list[dict]]:
        """The companies hiring most like company ``name`` (its display name or id, case-insensitive), each with
        a few current openings: (the company itself, companies best first). Raises `UnknownCompany`."""
        from corpus.ranking import build_ranker, lexical_index, load_corpus
        from recommend.companies import build_profile, group_positions, similarity
        from recommend.errors import UnknownCompany
        from recommend.facts import fold
        from warehouse.db import connect
        from warehouse.vectors import vectors_for_postings

        self._refresh_index()
        with connect(self.settings.db_path) as con:
            corpus = None if self.empty else load_corpus(con, self.model, self.encoder, self.tagger)
            rows = corpus.rows if corpus is not None else []
            wanted = fold(name)
            # Postings without a company belong to none: a blank name matches nothing.
            match = next((r for r in rows if wanted and r["company_id"]
                          and (fold(r["company"]) == wanted or r["company_id"] == wanted)), None)
            if match is None:
                raise UnknownCompany(f"no open postings at a company named {name!r}; see 'plenty export' "
                                     "for the companies plenty knows")
            ranker = build_ranker(corpus, self.encoder, self.tagger, self.index,
                                  lambda ids: vectors_for_postings(con, self.model, ids),
                                  lexical_index(self.settings, corpus))
            groups = group_positions([r["company_id"] for r in rows])
            source = build_profile(match["company_id"], match["company"], groups[match["company_id"]],
                                   ranker.vectors_at(groups[match["company_id"]]), corpus.profiles)
            allowed = (filters or Filters()).mask(rows, today or datetime.now(timezone.utc).date())
            scores, ids = self.index.search(source.centroid[None, :], COMPANY_CANDIDATES * 4)
            candidates = dict.fromkeys(rows[p]["company_id"] for p in (ranker.position(i) for i in ids[0])
                                       if p is not None and rows[p]["company_id"])
            candidates.pop(source.company_id, None)
            ranked = []
            for company_id in candidates:
                positions = groups[company_id]
                profile = build_profile(company_id, rows[positions[0]]["company"], positions,
                                        ranker.vectors_at(positions), corpus.profiles)
                open_here = positions[allowed[positions]]
                if not len(open_here):
                    continue
                order = np.argsort(-(ranker.vectors_at(open_here) @ source.centroid), kind="stable")
                best = open_here[order][:3]
                ranked.append(company_entry(profile, similarity(source.centroid, source.mix, profile),
                                       int(np.isin(ids[0], corpus.ids[positions]).sum()), [rows[p] for p in best],
                                       self._details(con, set(corpus.ids[best].tolist()))))
        ranked.sort(key=lambda c: (-c["score"], c["company"]))
        itself = {"company": source.name, "company_id": source.company_id, "open_postings": len(source.positions)}
        return itself, ranked[:top]

    def _allowed(self, corpus, filters, today, names, company_ids, posting_ids) -> np.ndarray:
        from recommend.facts import fold

        allowed = filters.mask(corpus.rows, today)
        names = {fold(n) for n in names}
        company_ids = {c for c in company_ids if c}
        if names or company_ids:
            allowed &= np.array([fold(r["company"]) not in names and r["company_id"] not in company_ids
                                 for r in corpus.rows], dtype=bool)
        skip = {int(i) for i in posting_ids}
        if skip:
            copies = corpus.copies()
            openings = {corpus.canonical.get(i, i) for i in skip}
            skip |= {c for o in openings for c in copies.get(o, {o})}
            allowed &= ~np.isin(corpus.ids, np.fromiter(skip, dtype=np.int64))
        return allowed

    def prepare(self) -> int:
        """Read (or find kept) the ranking corpus now, as the first query would; returns how many postings it holds."""
        self._refresh_index()
        prepared = self._prepared()
        return 0 if prepared is None else len(prepared.corpus.ids)

    def _prepared(self):
        """The prepared ranking corpus (`recommend.prepared.Prepared`), or None when no open posting has a vector.

        Kept while the warehouse is unchanged: while its file is not written (`file_stamp`) not even opened, and
        read again only when its fingerprint of the corpus (`corpus_version`) changed, so a long-lived process
        (the nightly's matching, the UI) answers many queries from one read."""
        from corpus.ranking import build_ranker, lexical_index, load_corpus
        from corpus.tags import tags_key
        from recommend.prepared import Prepared, keep, kept
        from warehouse.db import connect, file_stamp
        from warehouse.recommendations import corpus_version
        from warehouse.vectors import open_posting_vectors, vectors_for_postings

        cached = getattr(self, "_prepared_cache", None)
        before = (file_stamp(self.settings.db_path), self._index_stamp)
        if cached is not None and before[0] is not None and cached[0] == before:
            return cached[1]
        prepared = cached[1] if cached is not None else None
        with connect(self.settings.db_path) as con:
            version = corpus_version(con, self.model)
            # The ranker searches the index it was built with: a new index (`_refresh_index`) needs a new ranker.
            if prepared is None or prepared.version != version or prepared.index_stamp != self._index_stamp:
                prepared = prepared if prepared is not None and prepared.version == version else None
                prepared = prepared or kept(self.settings.cache_dir, self.model, tags_key(self.model), version)
                if prepared is None:
                    corpus = load_corpus(con, self.model, self.encoder, self.tagger)
                    if corpus is None:
                        self._prepared_cache = None
                        return None
                    ids, vectors = open_posting_vectors(con, self.model)
                    if not np.array_equal(ids, corpus.ids):  # the corpus is exactly the open postings with a vector
                        vectors = vectors_for_postings(con, self.model, corpus.ids)
                    prepared = Prepared.build(corpus_version(con, self.model), corpus, vectors)  # tagging stores tags
                    keep(prepared, self.settings.cache_dir, self.model, tags_key(self.model))
                corpus = prepared.corpus
                prepared.attach_ranker(build_ranker(corpus, self.encoder, self.tagger, self.index, prepared.lookup,
                                                    lexical_index(self.settings, corpus), prepared.levels,
                                                    prepared.specialisms),
                                       self._index_stamp)
        after = (file_stamp(self.settings.db_path), self._index_stamp)
        # Kept by stamp only when nobody wrote the file while it was read (this process's own tagging included).
        self._prepared_cache = (after if after == before else None, prepared)
        return prepared

    def _fold(self, hits, corpus) -> list[tuple[int, object, float]]:
        """(opening posting id, its best-ranked hit, best cosine among its copies) per opening, in ranked order."""
        best: dict[int, list] = {}
        for hit in hits:
            opening = corpus.canonical.get(hit.id, hit.id)
            if opening in best:
                best[opening][2] = max(best[opening][2], hit.dense)
            else:
                best[opening] = [opening, hit, hit.dense]
        return [tuple(v) for v in best.values()]

    def _details(self, con, posting_ids: set[int]) -> dict[int, dict]:
        from warehouse.matches import posting_details

        return {d["posting_id"]: d for d in posting_details(con, sorted(posting_ids))}

    def _postings(self, title, text, row, prepared, details, share=None, floor=None) -> list[dict]:
        from embeddings.skills import skill_terms
        from recommend.calibration import match_percent, query_kind, shipped_calibration
        from recommend.reasons import posting_role, reason, rejected_role

        query = rejected_role(title, text, skill_terms(text, self.skill_terms))
        corpus = prepared.corpus
        kept = []
        for posting_id, hit, dense in row:
            posting = details.get(posting_id)
            if posting is None or posting.get("closed_at") is not None:
                continue
            position = int(np.searchsorted(corpus.ids, posting_id))
            if position < len(corpus.ids) and corpus.ids[position] == posting_id:
                role = posting_role(corpus.rows[position], prepared.skill_terms(position, self.skill_terms))
            else:
                role = posting_role(posting, [])
            kept.append((posting, hit, dense, reason(query, role, hit.occupations, share, floor)))
        chances = shipped_calibration(query_kind(text)).along([hit.score for _, hit, _, _ in kept])
        return [{**_shown(posting, chance), "match": match_percent(chance),
                 "signals": {"fused": round(hit.score, 6), "dense": round(dense, 4), "lexical": round(hit.lexical, 4),
                             "occupation": round(hit.occupation, 4)},
                 "reason": text_reason}
                for (posting, hit, dense, text_reason), chance in zip(kept, chances)]

    def _companies(self, prepared, hits, query_vector, query_profile, allowed) -> list[dict]:
        """The companies whose profiles are most like the query, among the companies of its ranked postings."""
        from recommend.companies import profile_mix, similarity

        corpus, ranker, groups = prepared.corpus, prepared.ranker, prepared.groups
        counts: dict[str, int] = defaultdict(int)
        for hit in hits:
            position = ranker.position(hit.id)
            if position is not None and corpus.rows[position]["company_id"]:
                counts[corpus.rows[position]["company_id"]] += 1
        mix = profile_mix(*query_profile) if query_profile is not None else {}
        candidates = [company_id for company_id in counts if allowed[groups[company_id]].any()]
        if not candidates:
            return []
        # Scored as shown (rounded) and ordered as shown; only the companies shown get their openings and details.
        scored = sorted(((round(float(similarity(query_vector, mix, prepared.profile(c))), 4), c) for c in candidates),
                        key=lambda pair: (-pair[0], prepared.profile(pair[1]).name))[:COMPANIES_SHOWN]
        chosen = []
        for _, company_id in scored:
            profile = prepared.profile(company_id)
            positions = profile.positions
            open_mask = allowed[positions]
            here = prepared.vectors[positions[open_mask]]
            order = np.argsort(-(here @ query_vector), kind="stable")[:3]
            chosen.append((profile, positions[open_mask][order]))
        details = prepared.details({int(i) for _, best in chosen for i in corpus.ids[best].tolist()})
        return [company_entry(profile, similarity(query_vector, mix, profile), counts[profile.company_id],
                              [corpus.rows[p] for p in best], details)
                for profile, best in chosen]


def _first_line(text: str) -> str:
    """The title a query text gives: its first line, without the " at Company (Place)" a posting's text (as
    `plenty export` or a copied ad writes it) adds to the title."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), text)[:200]
    found = _POSTING_HEAD.match(line)
    return found.group(1) if found else line


# `Title at Company` or `Title at Company (Place; Place)`: the head of `embeddings.text.posting_text`.
_POSTING_HEAD = re.compile(r"^(.+?) at ([A-Z0-9][^()]*?)(?: \(.*\))?$")  # a company name starts capitalised


def _shown(posting: dict, score: float) -> dict:
    """The fields of a suggested posting, in a stable order for --json."""
    return {
        "posting_id": int(posting["posting_id"]),
        "title": posting["title"],
        "company": posting.get("company"),
        "location": posting.get("location"),
        "url": posting.get("url"),
        "score": round(score, 4),
        "posted_at": _iso(posting.get("posted_at") or posting.get("first_seen_at")),
        "salary": salary_of(posting),
        "source": posting.get("source"),
        "source_id": posting.get("source_id"),
    }


def _iso(value) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else (str(value) if value else None)


def salary_of(posting: dict) -> dict | None:
    """The posting's stated salary as the board gave it (None when it gives none)."""
    if posting.get("salary_min") is None and posting.get("salary_max") is None:
        return None
    return {key: posting.get(f"salary_{key}") for key in ("min", "max", "currency", "period")}
