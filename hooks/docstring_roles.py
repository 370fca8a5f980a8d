"""MkDocs hook: the reStructuredText roles of the package's docstrings, rendered on the API page.

The docstrings of ``rnn_guide`` use Sphinx roles (``:math:`H```, ``:class:`~rnn_guide.x.Y```, ``.. math::``
blocks), which mkdocstrings passes through as text: the API page showed ``:math:H`` and ``:class:Y``. This hook
turns them into what they mean, in the rendered HTML of every page:

* ``:math:`...``` becomes inline math and a ``.. math::`` block display math, in the ``arithmatex`` form that
  the site's KaTeX set-up renders (``\\( \\)`` and ``\\[ \\]``);
* ``:class:``, ``:func:``, ``:meth:``, ``:attr:``, ``:mod:``, ``:data:`` and ``:exc:`` become code, a link to
  the object's entry where the page has one; a leading ``~`` shows the last name only, as in Sphinx;
* the ``::`` that introduces a literal block (Markdown already shows the indented block as code) is shown as
  Sphinx shows it: ``Example::`` as ``Example:``, and a paragraph that is only ``::`` not at all.
"""

from __future__ import annotations

import re

_INLINE_MATH = re.compile(r":math:<code>(?P<body>.*?)</code>", re.S)
_BLOCK_IN_CODE = re.compile(
    r"<p>\.\. math::</p>\s*<div class=\"highlight\"><pre>(?:<span></span>)?<code>(?P<body>.*?)</code></pre></div>",
    re.S,
)
_BLOCK_IN_PARAGRAPH = re.compile(r"<p>\.\. math::\s*\n(?P<body>.*?)</p>", re.S)
_REFERENCE = re.compile(r":(?:class|func|meth|attr|mod|data|exc):<code>(?P<target>[^<]*)</code>")
_TAG = re.compile(r"<[^>]+>")
_LITERAL_ALONE = re.compile(r"<p>::</p>\s*")
_LITERAL_AFTER_TEXT = re.compile(r"(?<=[^\s:]):(?=:</p>)")


def render_roles(html: str) -> str:
    """The HTML with its docstring roles rendered (see the module's docstring)."""
    html = _BLOCK_IN_CODE.sub(lambda m: _display(m.group("body")), html)
    # In a paragraph, Markdown has read LaTeX's row break ``\\`` as an escaped backslash: put it back.
    html = _BLOCK_IN_PARAGRAPH.sub(lambda m: _display(re.sub(r"(?<!\\)\\\n", r"\\\\\n", m.group("body"))), html)
    html = _INLINE_MATH.sub(lambda m: f'<span class="arithmatex">\\({m.group("body")}\\)</span>', html)
    html = _LITERAL_AFTER_TEXT.sub("", _LITERAL_ALONE.sub("", html))
    ids = set(re.findall(r'\bid="([^"]+)"', html))
    return _REFERENCE.sub(lambda m: _reference(m.group("target"), ids), html)


def _display(body: str) -> str:
    return f'<div class="arithmatex">\\[{_TAG.sub("", body).strip()}\\]</div>'


def _reference(target: str, ids: set[str]) -> str:
    full = target.lstrip("~")
    shown = full.rsplit(".", 1)[-1] if target.startswith("~") else full
    code = f"<code>{shown}</code>"
    return f'<a href="#{full}">{code}</a>' if full in ids else code


def on_page_content(html: str, page, config, files) -> str:
    return render_roles(html)
