"""Reading the Markdown pages: code fences, includes, headings, notebooks, external resources."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from .paths import DOCS, LANGUAGES, ROOT, SNIPPETS

FENCE_OPEN_RE = re.compile(r"^(?P<indent>[ \t>]*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
INCLUDE_RE = re.compile(r"""^\s*-{1,}8<-{1,}\s+(?P<quote>["'])(?P<target>[^"']+)(?P=quote)\s*$""")
HEADING_RE = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.*?)\s*$")
ANCHOR_RE = re.compile(r"\{\s*#(?P<anchor>[A-Za-z0-9_.:-]+)[^}]*\}\s*$")
SKIP_MARKER_RE = re.compile(r"<!--\s*pytest[-_]codeblocks\s*:\s*skip", re.IGNORECASE)
CSS_URL_RE = re.compile(r"(?:url\(\s*|@import\s+)[\"']?\s*(?P<url>(?:https?:)?//[^\"')\s]+)", re.IGNORECASE)
#: Markdown page extensions MkDocs would build; only .md is allowed (the others escape the checks).
PAGE_EXTENSIONS = {".md", ".markdown", ".mdown", ".mkdn", ".mkd"}
ATTR_ANCHOR_RE = re.compile(r"\{[^}\n]*?#(?P<anchor>[A-Za-z0-9_.:-]+)[^}\n]*\}")
MARKDOWN_IMAGE_RE = re.compile(r"!\[[^\]]*\]\((?P<url>[^)\s]+)")
PYTHON_LANGUAGES = {"python", "py", "python3", "pycon", "ipython", "ipython3", "pyi"}


@dataclass
class Fence:
    page: Path
    line: int  # 1-based line of the opening fence
    language: str
    attributes: str  # everything after the language in the info string
    body: list[str]

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    @property
    def includes(self) -> list[str]:
        return [m.group("target") for line in self.body if (m := INCLUDE_RE.match(line))]

    @property
    def is_include_only(self) -> bool:
        lines = [line for line in self.body if line.strip()]
        return bool(lines) and all(INCLUDE_RE.match(line) for line in lines)


def pages() -> list[Path]:
    """Every Markdown page under docs/."""
    return sorted(DOCS.rglob("*.md"))


def language_of(page: Path) -> str | None:
    """The language suffix of a page (``index.zh.md`` → ``zh``), or None if it has none."""
    parts = page.name.split(".")
    return parts[-2] if len(parts) >= 3 and parts[-2] in LANGUAGES else None


def base_name(page: Path) -> str:
    """The page's path relative to docs/ without its language suffix (``tutorials/x.md``)."""
    rel = page.relative_to(DOCS).as_posix()
    lang = language_of(page)
    return rel[: -len(f".{lang}.md")] + ".md" if lang else rel


def twin(page: Path, language: str) -> Path:
    """The same page in another language."""
    return DOCS / (base_name(page)[: -len(".md")] + f".{language}.md")


def read(page: Path) -> str:
    return page.read_text(encoding="utf-8")


def is_notebook(page: Path) -> bool:
    """A jupytext Markdown notebook: front matter that declares a Python kernel."""
    text = read(page)
    if not text.startswith("---\n"):
        return False
    front = text.split("\n---", 1)[0]
    return "kernelspec:" in front and re.search(r"language:\s*python", front) is not None


def fences(page: Path) -> list[Fence]:
    """Every fenced code block of a page, including those indented inside admonitions and tabs."""
    found: list[Fence] = []
    lines = read(page).splitlines()
    i = 0
    while i < len(lines):
        match = FENCE_OPEN_RE.match(lines[i])
        if not match:
            i += 1
            continue
        indent, fence, info = match.group("indent"), match.group("fence"), match.group("info").strip()
        if info.startswith("{"):  # an attribute list: ``` { .python .no-copy title="..." }
            attributes = info.strip("{} ")
            classes = re.findall(r"(?<![^\s])\.([\w-]+)", attributes)
            language = classes[0].lower() if classes else ""
        else:
            language, _, attributes = info.partition(" ")
            language = language.strip("{}. ").lower()
        body: list[str] = []
        j = i + 1
        closing = re.compile(rf"^[ \t>]*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        while j < len(lines) and not closing.match(lines[j]):
            body.append(lines[j][len(indent) :] if lines[j].startswith(indent) else lines[j])
            j += 1
        found.append(Fence(page, i + 1, language, attributes.strip(), body))
        i = j + 1
    return found


def includes(page: Path) -> list[str]:
    """Every include target of a page, in order, inside fences or not."""
    return [m.group("target") for line in read(page).splitlines() if (m := INCLUDE_RE.match(line))]


#: The class that hides Material's copy button on one code block.
NO_COPY_CLASS = ".no-copy"


def excerpt_includes(page: Path) -> set[str]:
    """Include targets shown in a code block without a copy button (``{ .python .no-copy }``): excerpts of a
    script that the page also shows whole, which a reader copies as a whole."""
    return {
        m.group("target")
        for fence in fences(page)
        if NO_COPY_CLASS in fence.attributes.split()
        for line in fence.body
        if (m := INCLUDE_RE.match(line))
    }


def resolve_include(target: str) -> tuple[Path, str | None]:
    """Split ``topic/file.py:section`` into the file under snippets/ and the section name."""
    path, sep, section = target.partition(":")
    if sep and not section:
        section = None
    return SNIPPETS / path, (section or None)


def headings(page: Path) -> list[tuple[int, str, str | None]]:
    """(level, text, explicit anchor or None) of every heading outside code fences."""
    result = []
    in_fence: str | None = None
    text = read(page)
    if is_notebook(page):
        text = text.split("\n---", 1)[1] if text.startswith("---\n") else text
    for line in text.splitlines():
        fence = FENCE_OPEN_RE.match(line)
        if fence and in_fence is None:
            in_fence = fence.group("fence")[0]
            continue
        if in_fence is not None:
            if re.match(rf"^[ \t]*{re.escape(in_fence)}{{3,}}\s*$", line):
                in_fence = None
            continue
        match = HEADING_RE.match(line)
        if match:
            anchor = ANCHOR_RE.search(match.group("text"))
            result.append((len(match.group("hashes")), match.group("text"), anchor.group("anchor") if anchor else None))
    return result


#: Values of <link rel> that make the browser fetch the URL.
FETCHING_RELS = {
    "stylesheet",
    "preload",
    "prefetch",
    "modulepreload",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "manifest",
    "preconnect",
    "dns-prefetch",
    "prerender",
    "mask-icon",
}
FETCHING_ATTRIBUTES = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "iframe": ("src",),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "track": ("src",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href",),
}


def _is_external(url: str) -> bool:
    return re.match(r"^\s*(https?:)?//", url, re.IGNORECASE) is not None


class _ResourceFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        wanted: tuple[str, ...] = FETCHING_ATTRIBUTES.get(tag, ())
        if tag == "link":
            rels = set(values.get("rel", "").lower().split())
            wanted = ("href", "imagesrcset") if rels & FETCHING_RELS else ()
        if "background" in values:
            wanted = (*wanted, "background")
        for name in wanted:
            for candidate in re.split(r",\s+", values.get(name, "")):
                url = candidate.strip().split(" ")[0]
                if _is_external(url):
                    self.urls.append(f"<{tag} {name}={url}>")
        style = values.get("style", "")
        self.urls += [m.group("url") for m in CSS_URL_RE.finditer(style)]

    handle_startendtag = handle_starttag


def attribute_anchors(page: Path) -> list[str]:
    """Every explicit ``{ #anchor }`` of a page outside code fences (headings, table cells, figures)."""
    text = read(page)
    for fence in fences(page):
        text = text.replace("\n".join(fence.body), "")
    return [m.group("anchor") for m in ATTR_ANCHOR_RE.finditer(text)]


def setext_headings(page: Path) -> list[str]:
    """Headings underlined with === or --- (they carry no anchor; use # headings)."""
    found = []
    lines = read(page).splitlines()
    in_fence = False
    front_matter = bool(lines) and lines[0] == "---"
    for i, line in enumerate(lines):
        if front_matter:
            front_matter = not (i > 0 and line == "---")
            continue
        if FENCE_OPEN_RE.match(line):
            in_fence = not in_fence
            continue
        previous = lines[i - 1].strip() if i else ""
        if not in_fence and re.fullmatch(r"\s*(=+|-+)\s*", line) and previous and not previous.startswith(("|", "<")):
            found.append(previous)
    return found


def external_resources(text: str) -> list[str]:
    """What a browser would fetch from another host to show this HTML, Markdown or CSS text.

    Links (``<a href>``, ``<link rel="canonical">``) are not fetched and are not listed.
    """
    finder = _ResourceFinder()
    finder.feed(text)
    urls = finder.urls
    urls += [m.group("url") for m in CSS_URL_RE.finditer(text)]
    urls += [m.group("url") for m in MARKDOWN_IMAGE_RE.finditer(text) if _is_external(m.group("url"))]
    return list(dict.fromkeys(urls))


def notebook_code_cells(page: Path) -> list[str]:
    """The code cells of a jupytext Markdown notebook, as jupytext reads them."""
    import jupytext

    notebook = jupytext.read(page)
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]
