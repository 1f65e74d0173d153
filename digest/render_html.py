"""The digest as one self-contained HTML file for browsers and mail clients.

Layout tables and inline styles only (many mail clients drop ``<style>`` blocks), no scripts, no external
resources; a Content-Security-Policy forbids both anyway. Every scraped string goes through `html.escape`.
"""

from __future__ import annotations

from html import escape

from digest.model import Digest, Entry, Group
from digest.next_steps import step_lines
from display.safe_text import safe_text

FONT = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
INK, MUTED, ACCENT, RULE, PAPER = "#1f2328", "#59636e", "#0b5cad", "#d8dee4", "#f3f4f1"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def e(text: object) -> str:
    """Escape any text for HTML content and attribute values (quotes included); control characters made visible."""
    return escape(safe_text(text), quote=True)


def render_html(digest: Digest) -> str:
    """The whole digest as an HTML document."""
    body = [_p(f"{digest.monday:%d %b} – {digest.sunday:%d %b %Y}", color=MUTED)]
    if not digest.groups:
        body.append(_p("No active rejections: record one with <code>plenty reject add</code> and plenty will look "
                       "for similar openings every night."))
    elif digest.is_empty:
        body.append(_p("Nothing new this week: no new openings matched the roles you were turned down for.",
                       strong=True))
    body += [_group(group) for group in digest.groups]
    if digest.saved:
        body.append(_h(2, "Saved postings"))
        body.append(_p("Still open; mark them applied or dismissed when you are done.", color=MUTED))
        body += [_entry(entry) for entry in digest.saved]
    body.append(f'<p style="margin:28px 0 0;padding-top:12px;border-top:1px solid {RULE};font-size:13px;'
                f'color:{MUTED};">Mark a posting: <code>plenty mark POSTING_ID applied|dismissed|saved</code>. '
                "Applied and dismissed postings are never suggested again.</p>")
    title = f"Your plenty digest, week {e(digest.week)}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<title>{title}</title>
</head>
<body style="margin:0;padding:0;background:{PAPER};">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:{PAPER};">
<tr><td align="center" style="padding:24px 12px;">
<table role="presentation" width="640" cellpadding="0" cellspacing="0" border="0"
 style="width:100%;max-width:640px;background:#ffffff;border:1px solid {RULE};border-radius:8px;">
<tr><td style="padding:24px 28px;font-family:{FONT};font-size:15px;line-height:1.5;color:{INK};">
<h1 style="margin:0 0 4px;font-size:22px;line-height:1.3;color:{INK};">{title}</h1>
{chr(10).join(body)}
</td></tr>
</table>
</td></tr>
</table>
</body>
</html>
"""


def _group(group: Group) -> str:
    where = f" at {e(group.company)}" if group.company else ""
    parts = [_h(2, f"Because you were turned down for {e(group.title)}{where}")]
    if group.matches:
        companies = len({entry.company for entry in group.matches if entry.company})
        count = len(group.matches)
        parts.append(_p(f"{count} new opening{'s' if count != 1 else ''} like it at {companies} "
                        f"compan{'ies' if companies != 1 else 'y'}:", color=MUTED))
        parts += [_entry(entry) for entry in group.matches]
    else:
        parts.append(_p("No new openings like it this week.", color=MUTED))
    if group.companies:
        names = ", ".join(f"{e(c['company'])} ({c['score']:.2f})" for c in group.companies)
        parts.append(_p(f"<strong>Similar companies:</strong> {names}", size=14))
    if group.reopened:
        parts.append(_h(3, "Role reopened"))
        parts.append(_p(f"{e(group.company)} posted what looks like the role you were turned down for. You are in "
                        f"your cool-off until {group.cooloff_ends:%d %b %Y}; a fresh application after it may land "
                        "differently.", color=MUTED))
        parts += [_entry(entry) for entry in group.reopened]
    if group.doors:
        parts.append(_h(3, f"Doors kept open at {e(group.company)}"))
        parts.append(_p(f"Your cool-off ended on {group.cooloff_ends:%d %b %Y}. New openings there like the role:",
                        color=MUTED))
        parts += [_entry(entry) for entry in group.doors]
    steps = step_lines(group.next_steps)
    if steps:
        parts.append(_h(3, "Next steps"))
        items = "".join(f'<li style="margin:0 0 6px;">{e(text)}' + (f" <code>{e(command)}</code>" if command else "")
                        + "</li>" for text, command in steps)
        parts.append(f'<ul style="margin:0 0 12px;padding-left:20px;font-size:14px;color:{INK};">{items}</ul>')
    return "\n".join(parts)


def _entry(entry: Entry) -> str:
    title = e(entry.title)
    if entry.url:
        title = f'<a href="{e(entry.url)}" style="color:{ACCENT};text-decoration:none;">{title}</a>'
    badge = ""
    if entry.reopened:
        badge = ('<span style="display:inline-block;margin-right:6px;padding:1px 6px;border-radius:4px;'
                 'background:#fff4d6;color:#7a5200;font-size:12px;font-weight:600;">Role reopened</span>')
    facts = [entry.company, entry.location, entry.salary, entry.freshness]
    meta = " · ".join(e(f) for f in facts if f)
    score = f"score {entry.score:.2f} · " if entry.score is not None else ""
    note = (f'<div style="margin-top:2px;font-size:13px;color:{INK};">Note: {e(entry.note)}</div>'
            if entry.note else "")
    if entry.reason:
        note = f'<div style="margin-top:2px;font-size:13px;color:{MUTED};">Why: {e(entry.reason)}</div>{note}'
    return (f'<div style="margin:0 0 14px;padding:10px 12px;border-left:3px solid {ACCENT};background:#f8fafc;">'
            f'<div style="font-size:16px;font-weight:600;">{badge}{title}</div>'
            f'<div style="font-size:14px;color:{INK};">{meta}</div>'
            f'<div style="font-size:12px;color:{MUTED};">{score}{e(entry.credit)} · id {entry.posting_id}</div>'
            f"{note}</div>")


def _h(level: int, html_text: str) -> str:
    size = {2: 18, 3: 16}[level]
    return (f'<h{level} style="margin:26px 0 8px;font-size:{size}px;line-height:1.3;color:{INK};">'
            f"{html_text}</h{level}>")


def _p(html_text: str, color: str = INK, size: int = 15, strong: bool = False) -> str:
    weight = "font-weight:600;" if strong else ""
    return f'<p style="margin:0 0 12px;font-size:{size}px;color:{color};{weight}">{html_text}</p>'
