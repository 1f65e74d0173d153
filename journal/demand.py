"""Which skills a set of openings asks for, weighed against how common each skill is across every open posting
(an IDF), and which of them a profile already shows. Pure counting: no model, no warehouse."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

# Below this many openings read, one opening naming a skill is enough to list it; from it on, two are needed.
FEW_OPENINGS = 10
EXAMPLES = 2


@dataclass
class SkillDemand:
    """One skill: how many of the openings name it, its weight (openings x IDF), and two example openings."""

    skill: str
    openings: int
    weight: float
    have: bool
    in_rejected_role: bool
    share_of_all: float  # of every open opening, the share that names it
    examples: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        """The skill as `plenty analyse --json` gives it."""
        return {"skill": self.skill, "openings": self.openings, "have": self.have,
                "in_rejected_role": self.in_rejected_role, "weight": round(self.weight, 3),
                "share_of_all_openings": round(self.share_of_all, 3), "examples": self.examples}


def skills_in_demand(openings: list[dict], skills_of: dict[int, list[str]], frequencies: dict[str, int],
                     total_openings: int, profile_skills: list[str], role_skills: list[str]) -> list[SkillDemand]:
    """Every skill the `openings` (best first, each with posting_id, title, company, url) name, heaviest first.

    A skill's weight is the number of openings naming it times log((N + 1) / (df + 1)), N being every open
    opening and df those naming the skill, so a skill nearly every ad names ("communication") weighs little and
    one that sets these openings apart weighs more. `have`: the profile names it; `in_rejected_role`: the
    rejected role's own text does.
    """
    named: dict[str, list[dict]] = {}
    for opening in openings:
        own_names = proper_names_of(opening)
        for skill in skills_of.get(int(opening["posting_id"]), []):
            if skill.lower() not in own_names:
                named.setdefault(skill, []).append(opening)
    total = max(int(total_openings), len(openings), 1)
    have, asked = set(profile_skills), set(role_skills)
    out = []
    for skill, where in named.items():
        df = max(int(frequencies.get(skill, 0)), len(where))
        idf = math.log((total + 1) / (df + 1))
        out.append(SkillDemand(skill, len(where), len(where) * idf, skill in have, skill in asked, min(df / total, 1.0),
                               [_example(o) for o in where[:EXAMPLES]]))
    out.sort(key=lambda s: (-s.weight, -s.openings, s.skill))
    return out


def proper_names_of(opening: dict) -> set[str]:
    """The words and the whole of an opening's company name and place, lower-cased: an ad that names its employer
    "Juniper & Oak" or its office in "Ireland" does not ask for the skills "Juniper" or "Ireland"."""
    names: set[str] = set()
    for value in (opening.get("company"), opening.get("location")):
        if value:
            names.add(str(value).lower().strip())
            names.update(re.findall(r"[\w+#.]+", str(value).lower()))
    return names


def to_build(skills: list[SkillDemand], count_openings: int, top: int = 10) -> list[SkillDemand]:
    """The skills in demand the profile lacks, heaviest first (named by two openings at least once ten are read)."""
    least = 1 if count_openings < FEW_OPENINGS else 2
    return [s for s in skills if not s.have and s.openings >= least and s.weight > 0][:top]


def already_bring(skills: list[SkillDemand]) -> list[SkillDemand]:
    """The skills in demand the profile shows, most asked first."""
    return sorted((s for s in skills if s.have), key=lambda s: (-s.openings, s.skill))


def _example(opening: dict) -> dict:
    return {"posting_id": int(opening["posting_id"]), "title": opening.get("title"),
            "company": opening.get("company"), "url": opening.get("url")}
