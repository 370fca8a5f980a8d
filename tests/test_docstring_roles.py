"""The hook that renders the docstrings' Sphinx roles on the API page (hooks/docstring_roles.py)."""

from __future__ import annotations

import importlib.util

from support.paths import ROOT

_spec = importlib.util.spec_from_file_location("docstring_roles", ROOT / "hooks" / "docstring_roles.py")
assert _spec is not None and _spec.loader is not None
docstring_roles = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(docstring_roles)


def test_inline_math_becomes_katex_input() -> None:
    html = "<p>with :math:<code>T = L - 1</code> steps</p>"
    assert docstring_roles.render_roles(html) == '<p>with <span class="arithmatex">\\(T = L - 1\\)</span> steps</p>'


def test_math_blocks_become_display_math_with_their_row_breaks() -> None:
    in_code = '<p>.. math::</p>\n<div class="highlight"><pre><span></span><code>a = b\n</code></pre></div>'
    assert docstring_roles.render_roles(in_code) == '<div class="arithmatex">\\[a = b\\]</div>'
    # In a paragraph Markdown has turned the row break \\ into one backslash.
    in_paragraph = "<p>.. math::\n    \\begin{cases} 1 \\\n 2 \\end{cases}</p>"
    assert docstring_roles.render_roles(in_paragraph) == (
        '<div class="arithmatex">\\[\\begin{cases} 1 \\\\\n 2 \\end{cases}\\]</div>'
    )


def test_references_become_code_linked_to_their_entry_where_the_page_has_one() -> None:
    html = '<h2 id="rnn_guide.tasks.adding_problem">x</h2> :func:<code>~rnn_guide.tasks.adding_problem</code>'
    html += " :class:<code>InstanceNormalization</code> :mod:<code>rnn_guide.clipping</code>"
    assert docstring_roles.render_roles(html) == (
        '<h2 id="rnn_guide.tasks.adding_problem">x</h2> '
        '<a href="#rnn_guide.tasks.adding_problem"><code>adding_problem</code></a>'
        " <code>InstanceNormalization</code> <code>rnn_guide.clipping</code>"
    )


def test_text_without_roles_is_left_alone() -> None:
    html = '<p>Use <code>nn.LSTM</code> and math <span class="arithmatex">\\(x\\)</span>.</p>'
    assert docstring_roles.render_roles(html) == html


def test_literal_block_markers_are_shown_as_sphinx_shows_them() -> None:
    code = '<div class="highlight"><pre><code>x = 1</code></pre></div>'
    assert docstring_roles.render_roles(f"<p>Example::</p>\n{code}") == f"<p>Example:</p>\n{code}"
    assert docstring_roles.render_roles(f"<p>::</p>\n{code}") == code
    # "::" inside a sentence or in code stays as it is
    for kept in ("<p>a :: b</p>", "<p><code>std::</code></p>", "<pre><code>x::\n</code></pre>"):
        assert docstring_roles.render_roles(kept) == kept
