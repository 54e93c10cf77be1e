"""The shape of the code: apps in layers, no import cycles, short files, one writer of
reported values, and nothing read from outside the repository.

Every test here reads source files and parses them; none imports the project or touches a
database. There are no exceptions: docs/architecture.md explains each rule.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
PACKAGE = SRC / "coiin"
MAX_LINES = 500

# The apps from the bottom up: an app imports only from apps below it (or its own).
# `vitals`, `charts`, `storyboards` and `demo` need not exist yet.
APP_ORDER = ("network", "vitals", "measures", "charts", "interchange", "improvement",
             "community", "reports", "storyboards", "api", "demo")
RANK = {app: i for i, app in enumerate(APP_ORDER)}
ENTRY_POINTS = {"urls", "cli", "wsgi"}  # the top: they may import anything
ACCESS, WEB = "access", "web"
# Every other top-level module or package (spc, stats, settings, converters, markdown, ...)
# is a base module: it imports no app, nor access or web.

# -- reading the package ---------------------------------------------------------------------


@dataclass(frozen=True)
class Module:
    name: str  # dotted, e.g. coiin.measures.models
    path: Path
    is_package: bool  # an __init__.py

    @property
    def where(self) -> str:
        return str(self.path.relative_to(ROOT))

    def tree(self) -> ast.Module:
        return ast.parse(self.path.read_text(encoding="utf-8"), filename=str(self.path))


def _modules() -> dict[str, Module]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(SRC)
        if "migrations" in rel.parts:
            continue
        parts = list(rel.with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts.pop()
        found[".".join(parts)] = Module(".".join(parts), path, is_package)
    return found


MODULES = _modules()


@dataclass(frozen=True)
class Import:
    target: str  # the module imported, as precisely as the source says
    line: int
    at_import_time: bool  # runs when the module is imported (not in a function body)
    how: str = "import"  # or the call that names a module in a string


# Calls that load a module named in a string: they count as imports of it.
STRING_IMPORTS = {"import_module", "import_string", "include"}


def _package_of(module: Module) -> list[str]:
    parts = module.name.split(".")
    return parts if module.is_package else parts[:-1]


def _resolve_from(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = _package_of(module)
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _call_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _string_import(node: ast.Call) -> str | None:
    """The module a call such as include("coiin.api.urls") or apps.get_model("measures",
    "DataValue") loads, when it is written as a literal."""
    name = _call_name(node.func)
    if not node.args or not isinstance(node.args[0], ast.Constant):
        return None
    first = node.args[0].value
    if not isinstance(first, str):
        return None
    if name in STRING_IMPORTS and first.startswith("coiin."):
        return first
    if name == "get_model":
        return f"coiin.{first.split('.')[0]}.models"
    return None


def imports(module: Module) -> Iterator[Import]:
    """Every import in the file: module level, in functions and methods, under
    TYPE_CHECKING, absolute and relative, and modules loaded by a literal string."""

    def visit(node: ast.AST, at_import_time: bool) -> Iterator[Import]:
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(alias.name, node.lineno, at_import_time)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve_from(module, node)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield Import(sub if sub in MODULES else base, node.lineno, at_import_time)
        elif isinstance(node, ast.Call) and (target := _string_import(node)):
            yield Import(target, node.lineno, False, _call_name(node.func) + "()")
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            at_import_time = False
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.body:
                yield from visit(child, False)
            for child in node.orelse:
                yield from visit(child, at_import_time)
            return
        for child in ast.iter_child_nodes(node):
            yield from visit(child, at_import_time)

    yield from visit(module.tree(), True)


# -- the layering rules ----------------------------------------------------------------------


def _kind(name: str) -> tuple[str, str] | None:
    """("app", app) / ("entry", name) / ("access", "") / ("web", "") / ("base", name) for a
    module of the package; None outside it."""
    parts = name.split(".")
    if parts[0] != "coiin":
        return None
    if len(parts) == 1:
        return ("base", "coiin")
    head = parts[1]
    if head in RANK:
        return ("app", head)
    if head in ENTRY_POINTS:
        return ("entry", head)
    if head in (ACCESS, WEB):
        return (head, "")
    return ("base", head)


def _is_models(name: str) -> bool:
    """coiin.<app>.models, a sub-package's models (coiin.community.events.models), a module
    inside a models package, or one named models_*.py / *_models.py beside models.py."""
    parts = name.split(".")[2:]
    return bool(parts) and ("models" in parts or parts[-1].startswith("models_")
                            or parts[-1].endswith("_models"))


def _is_view(name: str) -> bool:
    parts = name.split(".")
    if parts[0] != "coiin" or len(parts) == 1:
        return False
    parts = parts[1:]
    last = parts[-1]
    return (last == "views" or last.startswith("views_") or last.endswith("_views")
            or "views" in parts[:-1])


def layering_rule_broken(source: str, target: str) -> str | None:
    """The rule that `source` importing `target` breaks, or None."""
    src, dst = _kind(source), _kind(target)
    if src is None or dst is None or src[0] == "entry":
        return None
    if _is_models(source) and dst[0] in (ACCESS, WEB):
        return "no models module imports coiin.access or coiin.web"
    if dst[0] == "entry":
        return "only the entry points import coiin.urls, coiin.cli and coiin.wsgi"
    if src[0] == "base":
        if dst[0] != "base":
            return f"base module coiin.{src[1]} imports no app, nor access or web"
        return None
    if src[0] == ACCESS:
        if dst[0] in ("base", ACCESS) or (dst[0] == "app" and _is_models(target)):
            return None
        return "coiin.access imports only the models modules of apps"
    if src[0] == WEB:
        if dst[0] in ("base", ACCESS, WEB) or dst == ("app", "network"):
            return None
        return "coiin.web imports only access, network and base modules"
    # An app: anything at or below its own rank, base modules, access and web.
    if dst[0] == "app" and RANK[dst[1]] > RANK[src[1]]:
        return f"app {src[1]} imports app {dst[1]}, which sits above it"
    return None


def views_rule_broken(source: str, target: str) -> str | None:
    if not (_is_view(source) and _is_view(target)) or source == target:
        return None
    module = MODULES.get(source)
    if module is not None and module.is_package and target.startswith(source + "."):
        return None  # a views package may gather its own modules in __init__
    return "views never import other views"


def layering_violations() -> Iterator[tuple[str, str, str]]:
    """(module, imported module, "file:line: message") for every import that breaks a rule."""
    for module in MODULES.values():
        for imp in imports(module):
            if imp.target == module.name:
                continue
            for rule in (layering_rule_broken(module.name, imp.target),
                         views_rule_broken(module.name, imp.target)):
                if rule:
                    via = "" if imp.how == "import" else f" (via {imp.how})"
                    yield (module.name, imp.target,
                           f"{module.where}:{imp.line}: {module.name} imports {imp.target}"
                           f"{via}; rule: {rule}")


def test_apps_import_only_from_apps_below_them_and_views_never_import_views():
    broken = [msg for source, target, msg in layering_violations()]
    assert not broken, "imports against the layering:\n" + "\n".join(sorted(broken))


# -- import cycles ---------------------------------------------------------------------------


def import_graph() -> dict[str, dict[str, int]]:
    """module -> {module it imports when it is imported: line}, package modules only."""
    graph: dict[str, dict[str, int]] = {}
    for module in MODULES.values():
        edges = graph.setdefault(module.name, {})
        for imp in imports(module):
            if imp.at_import_time and imp.target in MODULES and imp.target != module.name:
                edges.setdefault(imp.target, imp.line)
    return graph


def strongly_connected(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative; groups of more than one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
    return groups


def a_cycle(graph: dict[str, dict[str, int]], group: list[str]) -> list[str]:
    """One cycle through the group's first module, as "file:line module -> module" steps."""
    members, start = set(group), group[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node]):
            if child == start:
                cycle = paths[node] + [start]
                return [f"{MODULES[a].where}:{graph[a][b]}: {a} -> {b}"
                        for a, b in zip(cycle, cycle[1:], strict=False)]
            if child in members and child not in paths:
                paths[child] = paths[node] + [child]
                queue.append(child)
    return group  # unreachable for a strongly connected group


def test_no_module_imports_itself_through_a_cycle_of_module_level_imports():
    graph = import_graph()
    broken = []
    for group in strongly_connected(graph):
        broken.append("rule: no import cycle between modules; this one:\n  "
                      + "\n  ".join(a_cycle(graph, group)))
    assert not broken, "\n".join(broken)


# -- short files -----------------------------------------------------------------------------


def _ours(path: Path) -> bool:
    """A file of the repository, not one a build or a run left beside it."""
    return path.is_file() and path.suffix != ".pyc" and not any(
        part == "__pycache__" or part.endswith(".egg-info") for part in path.parts)


def _text_lines(path: Path) -> int | None:
    data = path.read_bytes()
    if b"\0" in data:
        return None  # a font, an image
    try:
        return len(data.decode("utf-8").splitlines())
    except UnicodeDecodeError:
        return None


def test_no_file_in_src_is_longer_than_five_hundred_lines_outside_migrations():
    """Text files only; third-party copies under static/vendor are not ours to split, and
    the published tables under a data/ folder are kept whole, as published, and so is a
    translation catalogue (.po), which makemessages writes as one file per language."""
    broken = []
    for path in sorted(p for p in SRC.rglob("*") if _ours(p)):
        rel = path.relative_to(ROOT)
        if "migrations" in rel.parts or "vendor" in rel.parts or (
                "data" in rel.parts and path.suffix == ".csv") or path.suffix == ".po":
            continue
        lines = _text_lines(path)
        if lines is not None and lines > MAX_LINES:
            broken.append(f"{rel}:{lines}: rule: no file in src/ over {MAX_LINES} lines")
    assert not broken, "\n".join(broken)


# -- one writer of reported values -----------------------------------------------------------


@dataclass(frozen=True)
class Guarded:
    """Models only one package may write: their names (with history models), the single
    rows' class names (for annotations), the SQL that would write their tables, and the
    writer."""

    models: frozenset[str]
    singles: tuple[str, ...]
    sql: re.Pattern[str]
    writer: str

    def annotation(self) -> re.Pattern[str]:
        names = "|".join(self.singles)
        return re.compile(rf"\s*(None\s*\|\s*)?({names})(\s*\|\s*None)?\s*$")

    def may_write(self, name: str) -> bool:
        return name == self.writer or name.startswith(self.writer + ".")


VALUE_MODELS = {"DataValue", "HistoricalDataValue", "SiteValue", "HistoricalSiteValue"}
WRITE_METHODS = {"create", "bulk_create", "update", "update_or_create", "get_or_create",
                 "bulk_update", "delete", "save"}
INSTANCE_GETTERS = {"get", "first", "last", "latest", "earliest"}
WRITING_CALL = re.compile(r"create|update|insert|delete|save|write", re.IGNORECASE)
VALUE_SQL = re.compile(r"\b(insert\s+into|update|delete\s+from)\b[^;]*?"
                       r"\bmeasures_(historical)?(datavalue|sitevalue)\b",
                       re.IGNORECASE | re.DOTALL)
REPORTED = Guarded(frozenset(VALUE_MODELS), ("DataValue", "SiteValue"), VALUE_SQL,
                   "coiin.measures.services")
# Official vital statistics: only the vitals services load figures and record their files.
VITALS = Guarded(frozenset({"VitalFigure", "VitalsLoad"}), ("VitalFigure", "VitalsLoad"),
                 re.compile(r"\b(insert\s+into|update|delete\s+from)\b[^;]*?"
                            r"\bvitals_(vitalfigure|vitalsload)\b", re.IGNORECASE | re.DOTALL),
                 "coiin.vitals.services")


def _chain(node: ast.expr) -> tuple[str | None, list[str]]:
    """The name at the root of a.b(...).c[...].d, and the attributes on the way."""
    attrs: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            attrs.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Name):
            return node.id, attrs[::-1]
        else:
            return None, attrs[::-1]


def _is_value_model(node: ast.expr, models: frozenset[str] = REPORTED.models) -> bool:
    """DataValue, HistoricalDataValue or DataValue.history.model, not a query on them."""
    root, attrs = _chain(node)
    plain = not any(isinstance(n, ast.Call) for n in ast.walk(node))
    return plain and root in models and attrs in ([], ["history", "model"])


def _value_instances(tree: ast.Module, kind: Guarded = REPORTED) -> set[str]:
    """Names the file binds to one DataValue: DataValue(...), DataValue.objects.get(...)
    (first, last, ...), a loop over a DataValue query, or an argument or variable
    annotated DataValue."""
    names: set[str] = set()

    def one_value(value: ast.expr | None) -> bool:
        if not isinstance(value, ast.Call):
            return False
        root, attrs = _chain(value)
        return root in kind.models and (not attrs or attrs[-1] in INSTANCE_GETTERS)

    def annotated(annotation: ast.expr | None) -> bool:
        # DataValue, DataValue | None, or either in quotes; not list[DataValue] and the like
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            return bool(kind.annotation().match(annotation.value))
        return annotation is not None and not isinstance(annotation, ast.Subscript) and any(
            isinstance(n, ast.Name) and n.id in kind.singles
            for n in ast.walk(annotation))

    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and one_value(node.value):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and (
                one_value(node.value) or annotated(node.annotation)):
            names.add(node.target.id)
        elif isinstance(node, ast.For) and _chain(node.iter)[0] in kind.models:
            names |= {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.arg) and annotated(node.annotation):
            names.add(node.arg)
    return names


def value_writes(module: Module, kind: Guarded = REPORTED) -> Iterator[tuple[int, str]]:
    """(line, what) for each place the module writes DataValue rows or their history:

    - DataValue / HistoricalDataValue / DataValue.history ... .create(), bulk_create(),
      update(), update_or_create(), get_or_create(), bulk_update(), delete() or save(),
      through any chain of queryset calls (DataValue.objects.filter(...).update(...));
    - DataValue(...).save(), and save() or delete() on a name the file binds to one
      DataValue (see _value_instances);
    - a call whose name says it writes (create, update, insert, delete, save, write) and
      that is given the model (DataValue, DataValue.history.model) or such an instance,
      e.g. simple_history's bulk_create_with_history(values, DataValue);
    - SQL text that INSERTs into, UPDATEs or DELETEs from measures_datavalue or
      measures_historicaldatavalue.

    Deleting a row that cascades to values (a submission, a measure) is not detected.
    """
    tree = module.tree()
    instances = _value_instances(tree, kind)
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _call_name(node.func)
            if isinstance(node.func, ast.Attribute) and name in WRITE_METHODS:
                root, _ = _chain(node.func.value)
                if root in kind.models:
                    yield node.lineno, f"{ast.unparse(node.func)}()"
                    continue
                if isinstance(node.func.value, ast.Name) and node.func.value.id in instances \
                        and name in ("save", "delete"):
                    yield node.lineno, f"{ast.unparse(node.func)}() on a {'/'.join(kind.singles)}"
                    continue
            if WRITING_CALL.search(name):
                given = [*node.args, *(k.value for k in node.keywords)]
                if any(_is_value_model(a, kind.models)
                       or (isinstance(a, ast.Name) and a.id in instances)
                       for a in given):
                    yield node.lineno, f"{name}() given {'/'.join(kind.singles)}"
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and kind.sql.search(node.value):
            yield node.lineno, "SQL that writes measures_datavalue"


def _may_write_values(name: str) -> bool:
    return REPORTED.may_write(name)


def test_only_the_measures_services_write_reported_values_or_their_history():
    broken = [f"{m.where}:{line}: {m.name} writes reported values: {what}; rule: only "
              f"coiin.measures.services writes DataValue rows and their history"
              for m in MODULES.values()
              if not _may_write_values(m.name)
              for line, what in value_writes(m)]
    assert not broken, "\n".join(broken)


def test_only_the_vitals_services_write_official_figures_or_their_loads():
    broken = [f"{m.where}:{line}: {m.name} writes official figures: {what}; rule: only "
              f"coiin.vitals.services writes VitalFigure and VitalsLoad rows"
              for m in MODULES.values()
              if not VITALS.may_write(m.name)
              for line, what in value_writes(m, VITALS)]
    assert not broken, "\n".join(broken)


# -- nothing outside the repository ----------------------------------------------------------

OUTSIDE = re.compile(r"\.\./shared|shared/reference|/work/shared")
SCANNED = ("src", "tests", "bench", "scripts", ".ci")


def _docstrings(tree: ast.Module) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _python_reads_outside(path: Path) -> Iterator[int]:
    """Lines of string literals (docstrings aside) that name ../shared, and paths built
    with a "shared" part (parent / "shared", os.path.join(..., "shared"))."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in docs and OUTSIDE.search(node.value):
            yield node.lineno
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) and any(
                isinstance(s, ast.Constant) and s.value == "shared"
                for s in (node.left, node.right)):
            yield node.lineno
        elif isinstance(node, ast.Call) and _call_name(node.func) in ("join", "joinpath") \
                and any(isinstance(a, ast.Constant) and a.value == "shared" for a in node.args):
            yield node.lineno


def _script_reads_outside(path: Path) -> Iterator[int]:
    text = path.read_bytes()
    if b"\0" in text:
        return
    for number, line in enumerate(text.decode("utf-8", "replace").splitlines(), 1):
        if OUTSIDE.search(line.split("#", 1)[0] if path.suffix not in (".js", ".html")
                          else line):
            yield number


def test_nothing_in_the_repository_reads_the_shared_folder_beside_it():
    """src/, tests/, bench/, scripts/ and .ci/ never name ../shared (prose in docstrings,
    comments and Markdown aside): the repository stands alone."""
    broken = []
    for top in SCANNED:
        for path in sorted(p for p in (ROOT / top).rglob("*") if _ours(p)):
            if path == Path(__file__).resolve() or path.suffix == ".md":
                continue
            lines = (_python_reads_outside(path) if path.suffix == ".py"
                     else _script_reads_outside(path))
            broken += [f"{path.relative_to(ROOT)}:{n}: rule: nothing reads ../shared"
                       for n in lines]
    assert not broken, "\n".join(broken)
