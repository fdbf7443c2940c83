"""The docs' cross-references resolve, and the README stays a front door.

Checked in every Markdown file of the repository (README.md, docs/, bench/README.md, …):

* a relative link ``[text](path#fragment)`` names an existing file, and its fragment an existing
  heading of that file (GitHub's slugs: lower case, punctuation dropped, spaces to ``-``, CJK kept);
* a backticked repository path (``reports/status.py``, ``fixtures/2017/``) exists;
* a backticked dotted name of ours (``core.wareki``, ``accounts.access.scope``,
  ``activities.SupportGroup``) imports, or names an attribute or a model that exists.

In the Python sources, a reference such as ``docs/security.md, "Roles"`` names an existing file
and, when a heading is quoted after it, an existing heading. The negative tests at the end run
the same checks on a small tree with broken references, so none of them can pass by finding
nothing.
"""

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[1]

# Directories that are not the project's own text.
SKIPPED_DIRS = {".venv", ".git", "node_modules", "staticfiles", "build", "__pycache__", "out"}

# Named in the docs but made by running something, not kept in git.
GENERATED = {"bench/out/results.md", "bench/out/directory-results.md", "bench/out/"}

# Named in the docs, written on other branches of the same issue; they exist once those merge.
AWAITED: set[str] = set()

FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
# Inline code may wrap onto the next line of its paragraph, never across a blank line.
CODE_SPAN = re.compile(r"`((?:[^`\n]|\n(?![ \t]*\n))+?)`")
PATH = re.compile(r"^\.?[A-Za-z_][\w.-]*(?:/[\w.-]+)*/?$")
FILE_SUFFIXES = (".py", ".md", ".html", ".toml", ".json", ".css", ".js", ".txt", ".cfg", ".ini")
DOTTED = re.compile(r"^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$")
# docs/….md, bench/README.md or README.md in Python sources, with an optional quoted heading.
SOURCE_REFERENCE = re.compile(
    r"(?<![\w/.-])((?:docs/[\w/.-]+?|bench/README|README)\.md)(#[\w-]+)?"
    r"(?:,\s*(?:#\s*)?\"([^\"\n]+)\")?"
)


def our_packages(root: Path = ROOT) -> set[str]:
    return {p.parent.name for p in root.glob("*/__init__.py")}


def markdown_files(root: Path = ROOT) -> list[Path]:
    found = []
    for path in sorted(root.rglob("*.md")):
        parts = path.relative_to(root).parts
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in parts[:-1]):
            continue
        found.append(path)
    return found


def python_files(root: Path = ROOT) -> list[Path]:
    found = []
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root).parts
        if any(part in SKIPPED_DIRS or part.startswith(".") for part in parts[:-1]):
            continue
        if "migrations" in parts or path == Path(__file__).resolve():
            continue  # this module's negative tests name missing docs on purpose
        found.append(path)
    return found


def prose_lines(text: str):
    """(line number, line) outside fenced code blocks."""
    fenced = False
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


def prose(text: str) -> str:
    """The text with fenced code blocks blanked, line numbers kept."""
    kept = dict(prose_lines(text))
    return "\n".join(kept.get(n, "") for n in range(1, len(text.splitlines()) + 1))


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def code_spans(text: str) -> list[tuple[int, str]]:
    """(line, content) of every inline code span outside fenced blocks."""
    body = prose(text)
    return [(line_of(body, m.start()), m.group(1)) for m in CODE_SPAN.finditer(body)]


def links(text: str) -> list[tuple[int, str]]:
    """(line, target) of every Markdown link or image outside code."""
    body = CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), prose(text))
    return [(line_of(body, m.start()), m.group(1)) for m in LINK.finditer(body)]


def is_external(target: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:", target))  # http:, https:, mailto:


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: the text as rendered, lower-cased, punctuation other than
    '-' and '_' removed (letters of every script kept), each space a '-'."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # links and images: their text
    text = text.replace("`", "").replace("*", "")
    text = re.sub(r"<[^>]+>", "", text)
    text = text.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every heading anchor of a Markdown file, repeated headings numbered as GitHub does."""
    seen: dict[str, int] = {}
    found = set()
    for _, line in prose_lines(path.read_text(encoding="utf-8")):
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def resolve_dotted(name: str) -> bool:
    """Whether a dotted name is a module, an attribute reached from one, or app_label.Model."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attribute in parts[cut:]:
                target = getattr(target, attribute)
        except AttributeError:
            break
        return True
    if len(parts) == 2:
        try:
            apps.get_model(parts[0], parts[1])
        except (LookupError, ValueError):
            return False
        return True
    return False


def is_our_name(span: str, packages: set[str]) -> bool:
    return bool(DOTTED.match(span)) and span.split(".")[0] in packages


def is_repo_path(span: str) -> bool:
    if not PATH.match(span) or span.startswith(".."):
        return False
    return "/" in span or span.endswith(FILE_SUFFIXES)


def path_exists(span: str, root: Path) -> bool:
    """A path from the repository root; a bare file name (``services.py``, a convention) is
    found when a file of that name exists anywhere in the project."""
    if "/" in span:
        return (root / span).exists()
    return any(
        not any(part in SKIPPED_DIRS for part in found.relative_to(root).parts)
        for found in root.rglob(span)
    )


def check_markdown(path: Path, root: Path = ROOT) -> list[str]:
    """Every broken reference in one Markdown file, as 'file:line: what'."""
    problems = []
    where = path.relative_to(root)
    packages = our_packages(root)
    text = path.read_text(encoding="utf-8")
    for number, target in links(text):
        if is_external(target):
            continue
        file_part, _, fragment = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            problems.append(f"{where}:{number}: link to a missing file: {target}")
            continue
        is_markdown = linked.is_file() and linked.suffix == ".md"
        if fragment and is_markdown and fragment not in anchors(linked):
            problems.append(f"{where}:{number}: link to a missing heading: {target}")
    for number, span in code_spans(text):
        span = span.strip()
        if is_repo_path(span):
            if span in GENERATED or span in AWAITED:
                continue
            if not path_exists(span, root):
                problems.append(f"{where}:{number}: no such path: `{span}`")
        elif is_our_name(span, packages) and not resolve_dotted(span):
            problems.append(f"{where}:{number}: no such module or name: `{span}`")
    return sorted(problems, key=lambda p: int(p.split(":")[1]))


def check_source(path: Path, root: Path = ROOT) -> list[str]:
    """Every reference to a missing doc or heading in one Python file."""
    problems = []
    where = path.relative_to(root)
    text = path.read_text(encoding="utf-8")
    for doc, fragment, heading in SOURCE_REFERENCE.findall(text):
        target = root / doc
        if not target.is_file():
            problems.append(f"{where}: reference to a missing file: {doc}")
            continue
        for wanted in filter(None, [fragment.lstrip("#"), heading and slug(heading)]):
            if wanted not in anchors(target):
                problems.append(f"{where}: {doc} has no heading {heading or fragment!r}")
    return problems


# --- the repository's own docs ------------------------------------------------------------------

MARKDOWN = markdown_files()


@pytest.mark.parametrize("path", MARKDOWN, ids=[str(p.relative_to(ROOT)) for p in MARKDOWN])
def test_every_reference_in_the_docs_resolves(path):
    assert check_markdown(path) == []


def test_every_python_source_names_existing_docs_and_headings():
    problems = [problem for path in python_files() for problem in check_source(path)]
    assert problems == []


def test_the_docs_that_must_exist_do():
    for name in [
        "README.md",
        "docs/architecture.md",
        "docs/data-2017.md",
        "docs/operations.md",
        "docs/security.md",
        "docs/guide/README.md",
        "docs/decisions/README.md",
        "bench/README.md",
    ]:
        assert (ROOT / name).is_file(), name


def test_every_page_under_docs_is_linked_from_another_page():
    linked = set()
    for path in MARKDOWN:
        for _, target in links(path.read_text(encoding="utf-8")):
            file_part = target.partition("#")[0]
            if file_part and not is_external(file_part):
                linked.add((path.parent / file_part).resolve())
    orphans = [
        str(p.relative_to(ROOT))
        for p in MARKDOWN
        if p.is_relative_to(ROOT / "docs") and p.resolve() not in linked
    ]
    assert orphans == []


def test_every_decision_is_in_the_index_with_its_three_sections():
    index = (ROOT / "docs/decisions/README.md").read_text(encoding="utf-8")
    pages = sorted((ROOT / "docs/decisions").glob("[0-9][0-9][0-9][0-9]-*.md"))
    assert pages
    for page in pages:
        assert f"({page.name})" in index, page.name
        assert {"context", "decision", "consequences"} <= anchors(page), page.name


# --- the README ---------------------------------------------------------------------------------

README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(text: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, f"no section {title!r}"
    return match.group(1)


def test_the_readme_fits_on_a_screen_or_two():
    assert len(README.splitlines()) < 200


def test_quick_start_is_one_block_of_exactly_two_commands():
    blocks = re.findall(r"^```\w*\n(.*?)^```", section(README, "Quick start"), re.M | re.S)
    assert len(blocks) == 1
    commands = [line.strip() for line in blocks[0].splitlines() if line.strip()]
    assert commands == ["python3 dev.py serve", "python3 dev.py test"]


def test_the_settings_table_lists_every_variable_the_settings_read():
    source = (ROOT / "iwaki_support/settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r"(?:environ\.get|env_bool|env_list)\(\s*\"([A-Z_]+)\"", source))
    read.add("DATABASE_URL")  # read by dj_database_url.config()
    assert len(read) > 10
    table = section(README, "Settings")
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", table, re.M))
    assert read - documented == set()


def test_nothing_left_to_do_in_the_docs():
    # To-dos are issues or notes, not docs.
    for path in MARKDOWN:
        for number, line in prose_lines(path.read_text(encoding="utf-8")):
            assert not re.match(r"^#+\s*(left to do|to ?do|todo)\b", line, re.I), (path, number)


# --- the checks themselves fail on broken references -------------------------------------------


@pytest.fixture
def tree(tmp_path):
    (tmp_path / "docs").mkdir()
    for package in ("core", "accounts", "councils"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "core" / "wareki.py").write_text("")
    (tmp_path / "docs" / "target.md").write_text(
        "# Target\n\n## 圏域別の状況 (status)\n\n## Where does X go?\n\n## Where does X go?\n",
        encoding="utf-8",
    )
    return tmp_path


def write(tree, text, name="docs/page.md"):
    path = tree / name
    path.write_text(text, encoding="utf-8")
    return path


def test_slugs_follow_github_for_japanese_and_punctuation(tree):
    assert slug("圏域別の状況 (status)") == "圏域別の状況-status"
    assert slug("`core/wareki.py`: era dates") == "corewarekipy-era-dates"
    assert slug("0005 `audit` below the domain apps") == "0005-audit-below-the-domain-apps"
    assert anchors(tree / "docs/target.md") == {
        "target",
        "圏域別の状況-status",
        "where-does-x-go",
        "where-does-x-go-1",
    }


def test_good_references_pass(tree):
    page = write(
        tree,
        "[t](target.md) [t](target.md#圏域別の状況-status) [t](target.md#where-does-x-go-1)\n"
        "[self](#a-heading) [web](https://example.org/x)\n\n## A heading\n\n"
        "`core/wareki.py` `core/` `wareki.py` `core.wareki` `accounts.access.scope` `councils.Meeting`\n"
        "```sh\n[not a link](nowhere.md) `nowhere/file.py`\n```\n",
    )
    assert check_markdown(page, root=tree) == []


@pytest.mark.parametrize(
    ("line", "complaint"),
    [
        ("[a](missing.md)", "missing file"),
        ("[a](../core/missing.py)", "missing file"),
        ("[a](target.md#no-such-heading)", "missing heading"),
        ("[a](#no-such-heading-here)", "missing heading"),
        ("`core/missing.py`", "no such path"),
        ("`docs/missing/`", "no such path"),
        ("`nowhere.py`", "no such path"),
        ("`core.no_such_module`", "no such module"),
        ("`accounts.access.no_such_function`", "no such module"),
        ("`councils.NoSuchModel`", "no such module"),
        ("a link [that\nwraps](target.md#gone) across lines", "missing heading"),
    ],
)
def test_a_broken_reference_is_reported(tree, line, complaint):
    page = write(tree, f"# Page\n\n{line}\n\n`a span that\nwraps` and `core/wareki.py`\n")
    problems = check_markdown(page, root=tree)
    assert len(problems) == 1
    assert complaint in problems[0]
    assert problems[0].startswith("docs/page.md:3:")


def test_a_python_source_naming_a_missing_doc_or_heading_is_reported(tree):
    good = write(tree, '"""See docs/target.md, "Where does X go?"."""\n', "core/good.py")
    wrapped = write(tree, '# see docs/target.md,\n# "圏域別の状況 (status)"\n', "core/wrapped.py")
    missing_file = write(tree, '"""See docs/nothing.md."""\n', "core/bad1.py")
    missing_heading = write(tree, '"""See docs/target.md, "Load test"."""\n', "core/bad2.py")
    assert check_source(good, root=tree) == []
    assert check_source(wrapped, root=tree) == []
    assert "missing file" in check_source(missing_file, root=tree)[0]
    assert "no heading 'Load test'" in check_source(missing_heading, root=tree)[0]
