"""hooks/page_facts.py: every page that shows output names the PyTorch version that produced it.

The version comes from the golden output of ``snippets/home/versions.py`` (which prints ``torch.__version__``),
never from typed text; the snippet tests keep that file true.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest
from support import pages
from support.environment import reference_environment
from support.paths import DOCS, ROOT

_spec = importlib.util.spec_from_file_location("page_facts", ROOT / "hooks" / "page_facts.py")
page_facts = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(page_facts)


def _page(path: Path, meta: dict | None = None) -> SimpleNamespace:
    src_uri = path.relative_to(DOCS).as_posix()
    return SimpleNamespace(meta=meta or {}, file=SimpleNamespace(abs_src_path=str(path), src_uri=src_uri))


def test_the_version_is_the_one_the_snippet_printed() -> None:
    printed = page_facts.VERSIONS_OUTPUT.read_text(encoding="utf-8").splitlines()[0]
    assert printed == f"PyTorch {page_facts.torch_version()}"


def test_the_version_is_the_installed_one_in_the_reference_environment() -> None:
    reference, why_not = reference_environment()
    if not reference:
        pytest.skip(f"the committed outputs come from the pinned environment ({why_not})")
    import torch

    assert page_facts.torch_version() == torch.__version__.split("+")[0]


def test_a_file_without_the_version_line_is_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "versions.versions.txt"
    broken.write_text("NumPy 2.4.6\n", encoding="utf-8")
    with pytest.raises(ValueError, match="PyTorch <version>"):
        page_facts.torch_version(broken)


@pytest.mark.parametrize("page", pages.pages(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_pages_with_output_are_found(page: Path) -> None:
    includes_output = any("/_outputs/" in target for target in pages.includes(page))
    assert page_facts.shows_output(str(page)) == (includes_output or pages.is_notebook(page))


@pytest.mark.parametrize(
    ("language", "line"),
    [
        ("en", "Outputs on this page were produced with PyTorch 9.9.9 (CPU)."),
        ("zh", "本页输出由 PyTorch 9.9.9（CPU）生成。"),
    ],
)
def test_the_line_is_added_at_the_end_of_the_page_in_its_language(language: str, line: str) -> None:
    page = _page(DOCS / f"errors.{language}.md", {"rg_outputs_version": "9.9.9"})
    html = "<html><head></head><body><article><p>text</p></article></body></html>"
    output = page_facts.on_post_page(html, page, config={})
    assert f'<p class="rg-outputs-version">{line}</p></article>' in output


def test_context_marks_pages_with_output_and_leaves_the_others() -> None:
    with_output, without = _page(DOCS / "errors.en.md"), _page(DOCS / "glossary.en.md")
    for page in (with_output, without):
        page_facts.on_page_context({}, page, config={}, nav=None)
    assert with_output.meta["rg_outputs_version"] == page_facts.torch_version()
    assert "rg_outputs_version" not in without.meta
    html = "<article><p>text</p></article>"
    assert page_facts.on_post_page(html, without, config={}) == html
