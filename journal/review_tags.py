"""What went wrong in an interview, as a short fixed list of tags, each with a concrete way to prepare for the next
one; and the same themes read from an employer's feedback by the words it uses (no language model)."""

from __future__ import annotations

import re

from journal.errors import InvalidEntry

TAGS = ("nervousness", "preparation", "misunderstanding", "technical gap", "experience gap", "communication",
        "culture fit", "other")

PREPARATION = {
    "nervousness": "Rehearse out loud: two mock interviews this week (a friend, a mentor, or a recording of yourself) "
                   "on the five questions you least want to hear; prepare a two-minute introduction you can say "
                   "on autopilot, and plan to arrive (or log in) ten minutes early.",
    "preparation": "Give the next company an hour before the interview: its product, recent news and the team's "
                   "stack from the ad; map each requirement of the ad to one story from your own work, and write "
                   "down three questions of your own.",
    "misunderstanding": "When a question is unclear, restate it before answering (\"So you would like to know how "
                        "I ...?\"); practise this in mock interviews, and ask the recruiter beforehand what each "
                        "stage covers and how long it lasts.",
    "technical gap": "Pick the first skill under \"To build next\" and do one small, finished piece of work with it "
                     "this week (an exercise set, a script, a pull request) that you can walk an interviewer "
                     "through.",
    "experience gap": "Show depth with evidence rather than years: a portfolio piece, an open-source contribution "
                      "or a side project with a measurable result; describe transferable work with numbers "
                      "(situation, task, action, result).",
    "communication": "Practise answering in the STAR form (situation, task, action, result) in under two minutes; "
                     "record yourself, cut the filler, and lead with the result.",
    "culture fit": "Read how the company describes its values and how its people describe working there; prepare "
                   "examples of how you work in a team, handle disagreement and take feedback, and ask what a good "
                   "first year in the role looks like.",
    "other": "Write down what happened and one thing you would do differently, then try that one thing in your "
             "next mock interview.",
}

# Words that show a theme in an employer's feedback (matched as word starts, case-insensitively).
_THEMES = {
    "nervousness": r"nervous|anxious|anxiety|calm|confiden|stress|hesitant",
    "preparation": r"prepar|unprepared|research(ed)? (the|our) company|homework|did not know about|didn't know about",
    "misunderstanding": r"misunderst|unclear|clarif|misread|off[- ]topic|did not answer|didn't answer",
    "technical gap": r"technical|coding|code quality|algorithm|system design|hands[- ]on|depth",
    "experience gap": r"experience|seniority|senior|years of|track record|exposure",
    "communication": r"communicat|explain|concise|structur|rambl|articulat|listen",
    "culture fit": r"culture|values|fit with|team fit|motivation",
}
_THEME_PATTERNS = {tag: re.compile(rf"\b(?:{words})", re.IGNORECASE) for tag, words in _THEMES.items()}


def normalise_tag(value: str) -> str:
    """A tag as the fixed list spells it ("technical-gap", "Technical_Gap" -> "technical gap"); raises
    `InvalidEntry` naming the list for a tag not on it."""
    tag = " ".join(re.sub(r"[-_]+", " ", value or "").lower().split())
    if tag not in TAGS:
        raise InvalidEntry(f"--tag {value!r} is not one of: {', '.join(TAGS)}")
    return tag


def feedback_themes(text: str) -> list[str]:
    """The tags whose theme the feedback's words show, in the order of `TAGS`."""
    return [tag for tag, pattern in _THEME_PATTERNS.items() if pattern.search(text or "")]
