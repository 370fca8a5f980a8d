"""MkDocs hook: when each page was last changed, and a notebook download for notebook pages.

* Last updated: the date of the last commit that touched the page's source file
  (``git log -1 --format=%cs``), shown by Material's source-file partial. In a shallow
  clone (CI checks out one commit) this is the date of that commit, which is still a
  true "changed no later than" date. A file git does not know yet gets its modification
  date.
* The head's ``<link rel="alternate">`` tags are dropped: Material's script fetched a
  sitemap.xml under each of them that does not exist (two 404s per page).
* Figures in notebook outputs that carry no alt text get a short one in the page's
  language instead of nbconvert's English placeholder.
* Notebook pages (jupytext Markdown with a Python kernel) also get an ``.ipynb`` copy of
  the notebook next to the built page, linked from the page's action buttons
  (``overrides/partials/actions.html``); mkdocs-jupyter's ``include_source`` copies the
  jupytext source itself.
* Every page that shows printed output (it includes a committed ``_outputs/`` file, or it
  is a notebook) says which PyTorch produced it, at the end of the page. The version is
  read from the golden output of ``snippets/home/versions.py``, which prints
  ``torch.__version__``: the snippet tests keep that file true for the environment that
  produces all golden outputs, so the version is never typed.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import re
import subprocess
from pathlib import Path

_LABEL = {"en": "Last updated: {date}", "zh": "最后更新：{date}"}
_ROOT = Path(__file__).resolve().parent.parent
#: The golden output of snippets/home/versions.py; its first line is "PyTorch <version>".
VERSIONS_OUTPUT = _ROOT / "snippets" / "home" / "_outputs" / "versions.versions.txt"
_OUTPUTS_LINE = {
    "en": "Outputs on this page were produced with PyTorch {version} (CPU).",
    "zh": "本页输出由 PyTorch {version}（CPU）生成。",
}
# An include of a committed output: --8<-- "topic/_outputs/name.section.txt"
_OUTPUT_INCLUDE = re.compile(r"""^\s*-{1,}8<-{1,}\s+["'][^"']*/_outputs/[^"']+["']""", re.M)
# Material's script fetches "<href>/sitemap.xml" for every <link rel="alternate"> in the head,
# expecting language roots; the i18n plugin's alternates are pages, so each page made two
# requests that end in 404. The language menu (a.md-select__link) already links page to page.
_HEAD_ALTERNATE = re.compile(r'<link rel="alternate" href="[^"]*" hreflang="[^"]*">\s*')
# nbconvert gives a figure without alt text this English placeholder, on Chinese pages too.
_NBCONVERT_ALT = 'alt="No description has been provided for this image"'
_FIGURE_ALT = {"en": 'alt="Figure drawn by the code cell above"', "zh": 'alt="上面的代码单元格画出的图"'}


@functools.cache
def _last_changed(path: str) -> str:
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", os.path.basename(path)],
            cwd=os.path.dirname(path),
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
        date = result.stdout.strip()
        if result.returncode == 0 and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
            return date
    except (OSError, subprocess.SubprocessError):
        pass
    return dt.date.fromtimestamp(os.path.getmtime(path)).isoformat()


def _language(src_uri: str) -> str:
    return "zh" if src_uri.endswith(".zh.md") else "en"


def _is_notebook(path: str) -> bool:
    text = Path(path).read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return False
    front = text.split("\n---", 1)[0]
    return "kernelspec:" in front and re.search(r"language:\s*python", front) is not None


def _notebook_name(src_uri: str) -> str:
    name = os.path.basename(src_uri)
    for suffix in (".en.md", ".zh.md", ".md"):
        if name.endswith(suffix):
            return name[: -len(suffix)] + ".ipynb"
    return name + ".ipynb"


def torch_version(versions_output: Path = VERSIONS_OUTPUT) -> str:
    """The PyTorch version printed by ``snippets/home/versions.py`` (its line ``PyTorch 2.13.0``)."""
    for line in versions_output.read_text(encoding="utf-8").splitlines():
        name, _, version = line.partition(" ")
        if name == "PyTorch" and version.strip():
            return version.strip()
    raise ValueError(f"{versions_output} has no line 'PyTorch <version>'")


def shows_output(path: str) -> bool:
    """Whether the page at ``path`` shows printed output: it includes an ``_outputs/`` file or is a notebook."""
    text = Path(path).read_text(encoding="utf-8")
    return _OUTPUT_INCLUDE.search(text) is not None or _is_notebook(path)


def outputs_line(language: str, version: str) -> str:
    """The sentence that names the PyTorch version of a page's outputs, as HTML."""
    return f'<p class="rg-outputs-version">{_OUTPUTS_LINE[language].format(version=version)}</p>'


def on_page_context(context, page, config, nav):
    path = page.file.abs_src_path
    if not path or not os.path.isfile(path):
        return context
    page.meta["git_revision_date_localized"] = _LABEL[_language(page.file.src_uri)].format(date=_last_changed(path))
    if _is_notebook(path):
        page.meta["rg_notebook_download"] = _notebook_name(page.file.src_uri)
    if shows_output(path):
        page.meta["rg_outputs_version"] = torch_version()
    return context


def on_post_page(output, page, config):
    head, sep, body = output.partition("</head>")
    output = _HEAD_ALTERNATE.sub("", head) + sep + body
    version = page.meta.get("rg_outputs_version")
    if version:
        line = outputs_line(_language(page.file.src_uri), version)
        output = output.replace("</article>", line + "</article>", 1)
    name = page.meta.get("rg_notebook_download")
    if name:
        output = output.replace(_NBCONVERT_ALT, _FIGURE_ALT[_language(page.file.src_uri)])
        import jupytext

        notebook = jupytext.read(page.file.abs_src_path)
        target = Path(page.file.abs_dest_path).parent / name
        target.parent.mkdir(parents=True, exist_ok=True)
        jupytext.write(notebook, target, fmt="ipynb")
    return output
