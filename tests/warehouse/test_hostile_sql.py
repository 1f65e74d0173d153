"""SQL is parameterised: no user or scraped string is ever interpolated into a statement.

An audit of the source (every ``execute``/``sql`` call of warehouse/ and the packages above it whose statement is
built with an f-string, ``%`` or ``+``/``format`` may splice in only vetted constant fragments), and the proof by
behaviour: strings made to break out of a quoted literal are stored and read back as they are.
"""

from __future__ import annotations

import ast
import json
from datetime import datetime, timezone
from pathlib import Path

from click.testing import CliRunner

from cli.main import cli
from tests.support.warehouse_rows import posting, write_feed
from warehouse import connect, load_feed

REPO = Path(__file__).resolve().parents[2]
# Fragments that may be spliced into SQL: constants of the module, or clauses chosen between string literals.
VETTED = {"_COLUMNS", "where", "entry.read_text(encoding='utf-8')"}
PAYLOAD = "x'); drop table postings; --\" ; select 1 where '1'='1"


def _spliced(node: ast.AST) -> list[str] | None:
    """The source of each expression spliced into a statement built dynamically; None for a plain literal."""
    if isinstance(node, ast.JoinedStr):
        return [ast.unparse(v.value) for v in node.values if isinstance(v, ast.FormattedValue)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [ast.unparse(part) for part in (node.left, node.right) if not _constant_sql(part)]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return [ast.unparse(node)]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        return [ast.unparse(node)]
    return None


def _constant_sql(node: ast.AST) -> bool:
    """A string literal, ``sql("a/shipped/file")``, or a concatenation of those."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _constant_sql(node.left) and _constant_sql(node.right)
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "sql"
            and len(node.args) == 1 and isinstance(node.args[0], ast.Constant))


def _only_literals_assigned(function: ast.AST, name: str) -> bool:
    """Whether ``name`` is a local of ``function`` only ever assigned string literals (not a parameter)."""
    if name in {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)}:
        return False
    assigned = False
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            values = [node.value.body, node.value.orelse] if isinstance(node.value, ast.IfExp) else [node.value]
            if not all(isinstance(v, ast.Constant) and isinstance(v.value, str) for v in values):
                return False
            assigned = True
    return assigned


def _literal_constants(tree: ast.Module) -> set[str]:
    """Module-level names bound to a string literal or a tuple/list of string literals (column lists)."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = node.value
            items = value.elts if isinstance(value, (ast.Tuple, ast.List)) else [value]
            if all(_constant_sql(item) for item in items):
                names.add(node.targets[0].id)
    return names


def _from_constants(fragment: str, constants: set[str]) -> bool:
    """Whether an expression only joins literal module constants: ``', '.join(COLUMNS)``, ``'$' + name`` over them."""
    expression = ast.parse(fragment, mode="eval")
    local = {t.id for c in ast.walk(expression) if isinstance(c, ast.comprehension)
             for t in ast.walk(c.target) if isinstance(t, ast.Name)}
    for node in ast.walk(expression):
        if isinstance(node, ast.Name) and node.id not in local and node.id not in constants:
            return False
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Attribute) and node.func.attr == "join"
                                               and isinstance(node.func.value, ast.Constant)):
            return False
    return True


def audit(source: str) -> list[tuple[int, str]]:
    """(line, fragment) for every piece of non-constant text spliced into a statement in ``source``."""
    tree = ast.parse(source)
    constants = _literal_constants(tree)
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    offenders = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("execute", "executemany", "sql", "query") and node.args):
            continue
        owner = next((f for f in reversed(functions) if any(c is node for c in ast.walk(f))), None)
        for fragment in _spliced(node.args[0]) or []:
            if fragment == "where" and owner is not None and _only_literals_assigned(owner, "where"):
                continue
            if fragment != "where" and (fragment in VETTED or _from_constants(fragment, constants)):
                continue
            offenders.append((node.lineno, fragment))
    return offenders


def test_the_audit_catches_interpolated_strings():
    source = """
def f(con, title, where):
    con.execute(f"select * from postings where title = '{title}'")
    con.execute("select * from postings where title = '%s'" % title)
    con.execute("select * from postings " + where)
    con.execute("select * from postings where title = $t", {"t": title})
    con.execute(f"select {', '.join(COLUMNS)} from postings where id = $id", {"id": 1})
    con.execute(f"select {', '.join(title)} from postings")
    con.execute(f"select {', '.join(c for c in title.split())} from postings")
COLUMNS = ("title", "company")
"""
    assert [line for line, _ in audit(source)] == [3, 4, 5, 8, 9]


def test_no_statement_is_built_from_anything_but_vetted_constants():
    offenders = []
    packages = ("warehouse", "sources", "corpus", "recommend", "journal", "digest", "flows", "ui", "cli", "datahome")
    for path in sorted(p for package in packages for p in REPO.glob(f"{package}/**/*.py")):
        offenders += [f"{path.relative_to(REPO)}:{line}: {fragment}"
                      for line, fragment in audit(path.read_text(encoding="utf-8"))]
    assert offenders == [], "SQL built from non-constant text:\n" + "\n".join(offenders)


def test_strings_made_to_break_out_of_sql_are_stored_as_they_are(home, tmp_path):
    record = posting("1", title=PAYLOAD, company=PAYLOAD, description=PAYLOAD, locations=[PAYLOAD])
    with connect(home / "plenty.duckdb") as con:
        load_feed(con, write_feed(tmp_path / "feed.jsonl", [record]), source="greenhouse", board="acme",
                  complete=True, crawled_at=datetime(2026, 11, 20, tzinfo=timezone.utc))
    imported = tmp_path / "jobs.jsonl"
    imported.write_text(json.dumps({"title": PAYLOAD, "company": PAYLOAD, "url": "https://x.example/1"}) + "\n",
                        encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["reject", "add", "--title", PAYLOAD, "--company", PAYLOAD, "--text", PAYLOAD,
                               "--stage", PAYLOAD, "--notes", PAYLOAD]).exit_code == 0
    with connect(home / "plenty.duckdb") as con:
        from warehouse.postings import import_postings

        import_postings(con, [{"title": PAYLOAD, "company": PAYLOAD}])
        titles = [r[0] for r in con.execute("select title from postings order by title").fetchall()]
        rejection = con.execute("select title, company_name, text, stage, notes from rejections").fetchall()
        tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    assert titles == [PAYLOAD, PAYLOAD] and rejection == [(PAYLOAD,) * 5]
    assert {"postings", "rejections", "matches"} <= tables
