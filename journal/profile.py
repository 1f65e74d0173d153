"""The user's profile: the CV's text (and a name that signs the drafts), and the ESCO skills the CV names."""

from __future__ import annotations

from pathlib import Path

from datahome.settings import Settings
from journal.entries import check_contact_name
from journal.errors import InvalidEntry


def set_profile(con, file: Path | None = None, name: str | None = None) -> dict:
    """Store the CV read from `file` and/or the name; returns the new profile. Raises `CVReadError` or
    `InvalidEntry` before anything is written."""
    from journal.cv_text import read_cv
    from warehouse.profiles import store_profile

    if file is None and name is None:
        raise InvalidEntry("give --file CV, --name NAME or both")
    fields = {}
    if name is not None:
        try:
            fields["name"] = check_contact_name(name)
        except InvalidEntry:
            raise InvalidEntry("--name must be one line without control characters; nothing was saved") from None
    if file is not None:
        text, kind = read_cv(file)
        fields.update(cv_text=text, cv_file=Path(file).name, cv_format=kind)
    return store_profile(con, **fields)


def profile_skills(settings: Settings, text: str | None) -> list[str]:
    """The ESCO skills a CV's text names, in the order it names them."""
    from corpus.skills import skill_vocabulary
    from embeddings.skill_names import skill_names

    if not text:
        return []
    names, _ = skill_vocabulary(settings)
    return skill_names(text, names)


def show_profile(settings: Settings, con) -> dict | None:
    """The current profile with the skills its CV names (`skills`), or None before any."""
    from warehouse.profiles import current_profile

    profile = current_profile(con)
    if profile is None:
        return None
    return {**profile, "skills": profile_skills(settings, profile.get("cv_text"))}
