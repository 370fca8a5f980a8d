"""The built site in a real browser (Debian's Chromium driven by Playwright), offline.

One browser for the session; every page of both languages is loaded once, cold, in a
fresh context, and its network log, console, images, headings, axe-core results and
phone-sized layout are recorded (``page_loads``). The other tests drive single pages:
language switch, search, copy button, math, dark theme, the shape calculator (compared
with ``rnn_guide.shapes`` and real PyTorch modules) and the page facts (last updated,
source links, notebook download). No request may leave the site's own origin.

Without Chromium these tests skip, with the reason; in CI (``CI`` set) they fail.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
import torch
from support import browser as chromium_support
from support import budget
from support.paths import ROOT, SNIPPETS
from support.site import Build, page_urls
from support.snippets import parse_chunks
from torch import nn

from rnn_guide.shapes import SEQ_LEN_ZERO_MESSAGE, expected_shapes_for, parameter_count_for, parameter_table_for

pytestmark = pytest.mark.site


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    reason = chromium_support.missing_reason()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"the browser tests must run in CI, but {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_support.find_chromium(), args=chromium_support.CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture(scope="session")
def page_loads(browser: Any, build: Build, site_url: str) -> dict[str, chromium_support.Load]:
    """Every built page, both languages, loaded once cold: ``relative URL -> Load``.

    Half of the pages load in this browser, the other half at the same time in a second browser driven
    from a thread of its own (Playwright's synchronous API wants one instance per thread): on two cores
    that took 78 s instead of 110 s for the 56 pages.
    """
    import threading

    urls = page_urls(build.site)
    loads: dict[str, chromium_support.Load] = {}
    failures: list[BaseException] = []

    def load_all(instance: Any, part: list[str]) -> None:
        loader = chromium_support.PageLoader(instance, site_url)
        try:
            loads.update({rel: loader.load(rel) for rel in part})
        finally:
            loader.close()

    def second_browser(part: list[str]) -> None:
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright:
                instance = playwright.chromium.launch(
                    executable_path=chromium_support.find_chromium(), args=chromium_support.CHROMIUM_ARGS
                )
                try:
                    load_all(instance, part)
                finally:
                    instance.close()
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)

    worker = threading.Thread(target=second_browser, args=(urls[1::2],))
    worker.start()
    try:
        load_all(browser, urls[0::2])
    finally:
        worker.join()
    if failures:
        raise failures[0]
    return {rel: loads[rel] for rel in urls}


@pytest.fixture
def page(browser: Any, site_url: str) -> Iterator[Any]:
    """A fresh desktop page whose every request is checked against the site's origin at the end."""
    context = browser.new_context(viewport=chromium_support.DESKTOP, service_workers="block")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=_origin(site_url))
    tab = context.new_page()
    load = chromium_support.Load(site_url)
    chromium_support.record(tab, _origin(site_url), load)
    tab.rg_base = site_url
    yield tab
    context.close()
    assert not load.foreign, f"requests left the site's origin: {load.foreign}"
    assert not load.console_errors, f"console errors: {load.console_errors}"


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _problems(loads: dict[str, chromium_support.Load], attribute: str) -> list[str]:
    return [f"/{rel}: {getattr(load, attribute)}" for rel, load in loads.items() if getattr(load, attribute)]


# ---------------------------------------------------------------- every page


def test_every_page_of_both_languages_was_loaded(page_loads: dict, build: Build) -> None:
    english = [rel for rel in page_loads if not rel.startswith("zh/")]
    chinese = [rel for rel in page_loads if rel.startswith("zh/")]
    assert len(english) == len(chinese) >= 10, f"{len(english)} English and {len(chinese)} Chinese pages"
    assert "calculator/" in page_loads and "zh/calculator/" in page_loads


def test_no_console_errors_or_failed_requests(page_loads: dict) -> None:
    problems = _problems(page_loads, "console_errors") + _problems(page_loads, "failed")
    assert not problems, "pages with console errors or failed requests:\n" + "\n".join(problems)


def test_no_request_leaves_the_sites_origin(page_loads: dict) -> None:
    home = page_loads[""]
    # The log is real: it holds the page, its assets and the search index the search worker fetches.
    assert any(url.endswith("search/search_index.json") for url in home.requests), home.requests
    problems = _problems(page_loads, "foreign")
    assert not problems, "requests to other hosts, from the browser's network log:\n" + "\n".join(problems)


def test_phone_viewport_has_no_horizontal_overflow(page_loads: dict) -> None:
    problems = [
        f"/{rel}: {load.overflow_px}px wider than the screen"
        for rel, load in page_loads.items()
        if load.overflow_px > 0
    ]
    assert not problems, f"pages that scroll sideways at {chromium_support.PHONE}:\n" + "\n".join(problems)


def test_every_figure_has_alt_text_in_the_pages_language(page_loads: dict) -> None:
    problems = _problems(page_loads, "alt_problems")
    assert not problems, "\n".join(problems)


def test_headings_are_in_order(page_loads: dict) -> None:
    problems = _problems(page_loads, "heading_problems")
    assert not problems, "\n".join(problems)


def test_axe_core_finds_no_contrast_or_labelling_violations(page_loads: dict) -> None:
    problems = _problems(page_loads, "axe_violations")
    assert not problems, "axe-core (vendored in tests/vendor/axe-core) reports:\n" + "\n".join(problems)


def test_speed_budget(page_loads: dict, build: Build) -> None:
    index = build.site / "search" / "search_index.json"
    metrics, heaviest = budget.measure(page_loads, index.stat().st_size, build.seconds)
    print(f"speed budget: {metrics} (heaviest page: /{heaviest})")
    problems = budget.over_budget(metrics)
    assert not problems, f"over the speed budget (tests/support/budget.py; heaviest page /{heaviest}): {problems}"


# ---------------------------------------------------------------- single pages


def test_language_switch_lands_on_the_same_page_and_section(page: Any) -> None:
    for start, language, expected in (
        ("parameters/#proj-size", "zh", "zh/parameters/#proj-size"),
        ("zh/shapes/#never-batch-first", "en", "shapes/#never-batch-first"),
    ):
        page.goto(page.rg_base + start)
        page.hover(".md-header__option .md-select")
        page.click(f"a.md-select__link[hreflang={language}]")
        page.wait_for_load_state("load")
        assert page.url == page.rg_base + expected
        assert page.evaluate("document.documentElement.lang") == language


@pytest.mark.parametrize(
    ("start", "query", "expected"),
    [
        ("zh/", "梯度裁剪", ["zh/pitfalls/", "zh/glossary/"]),
        ("zh/", "隐状态", ["zh/glossary/", "zh/rnn-in-five-minutes/"]),
        ("", "proj_size", ["parameters/", "layers/lstm/"]),
        # A fragment of an English error message finds the error index in both languages.
        ("", "must be sorted in decreasing order", ["errors/"]),
        ("zh/", "must be sorted in decreasing order", ["zh/errors/"]),
        ("zh/", "Trying to backward through the graph", ["zh/errors/"]),
    ],
)
def test_search_finds_the_right_pages(page: Any, start: str, query: str, expected: list[str]) -> None:
    page.goto(page.rg_base + start)
    page.click("input.md-search__input")
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function(
        "() => !/Initializing|正在初始化|初始化/i.test(document.querySelector('.md-search-result__meta').textContent)"
    )
    page.keyboard.type(query)
    page.keyboard.press("End")  # a real key event, so the query runs after typing CJK text
    page.wait_for_selector(".md-search-result__item a")
    links = page.eval_on_selector_all(".md-search-result__item > a", "els => els.map(e => e.href)")
    found = [urlsplit(link).path.removeprefix(urlsplit(page.rg_base).path) for link in links]
    for target in expected:
        assert target in found, f"searching {query!r} ({meta.text_content()}) found {found}, not {target}"


def _section(path: str, name: str) -> str:
    chunk = next(c for c in parse_chunks(SNIPPETS / path) if c.section == name)
    lines = "".join(chunk.lines).rstrip("\n").split("\n")
    indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    return "\n".join(line[indent:] for line in lines)


def test_copy_button_copies_exactly_the_snippet(page: Any) -> None:
    source = (ROOT / "docs" / "rnn-in-five-minutes.en.md").read_text(encoding="utf-8")
    target = re.search(r'--8<-- "([^":]+\.py):([^"]+)"', source)
    assert target, "the five-minutes page includes no snippet section"
    expected = _section(target.group(1), target.group(2))
    page.goto(page.rg_base + "rnn-in-five-minutes/")
    block = page.locator("article pre").first
    block.hover()
    block.locator("button[data-md-type=copy], button.md-clipboard").first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.rstrip("\n") == expected.rstrip("\n")


def test_math_is_rendered(page: Any) -> None:
    for rel in ("rnn-in-five-minutes/", "zh/rnn-in-five-minutes/"):
        page.goto(page.rg_base + rel)
        page.wait_for_selector(".arithmatex .katex")
        assert page.locator(".katex-error").count() == 0
        unrendered = page.evaluate(
            "[...document.querySelectorAll('.arithmatex')].filter(e => !e.querySelector('.katex')).length"
        )
        assert unrendered == 0, f"{rel}: {unrendered} equations left as LaTeX"


def test_dark_theme_switches_and_is_dark(page: Any) -> None:
    page.goto(page.rg_base + "shapes/")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "default"
    page.click("form[data-md-component=palette] label:visible")
    page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    channels = [int(c) for c in re.findall(r"\d+", background)[:3]]
    assert max(channels) < 80, f"the dark theme's background is {background}"
    page.reload()  # the choice is remembered
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"


def test_pages_show_last_update_and_link_their_source(page: Any) -> None:
    for rel, source, label in (
        ("shapes/", "docs/shapes.en.md", "Last updated"),
        ("zh/shapes/", "docs/shapes.zh.md", "最后更新"),
    ):
        page.goto(page.rg_base + rel)
        fact = page.locator(".md-source-file__fact").first.text_content() or ""
        assert re.search(label + r"[:：] ?\d{4}-\d{2}-\d{2}", fact.strip()), fact
        hrefs = page.eval_on_selector_all("a.md-content__button", "els => els.map(e => e.getAttribute('href'))")
        assert f"https://github.com/rnn-guide/rnn-guide/blob/main/{source}" in hrefs, hrefs
        assert f"https://github.com/rnn-guide/rnn-guide/edit/main/{source}" in hrefs, hrefs


def test_notebook_pages_offer_the_notebook(page: Any, build: Build) -> None:
    notebooks = [rel for rel in page_urls(build.site) if rel.removeprefix("zh/").startswith("tutorials/")]
    assert notebooks
    for rel in notebooks:
        page.goto(page.rg_base + rel)
        link = page.locator("a.rg-notebook-download")
        assert link.count() == 1, f"/{rel}: no notebook download link"
        with page.expect_download() as info:
            link.click()
        data = json.loads(info.value.path().read_text(encoding="utf-8"))
        assert data["nbformat"] == 4 and any(cell["cell_type"] == "code" for cell in data["cells"])


# ---------------------------------------------------------------- the shape calculator


def _python_value(text: str | None) -> Any:
    if text is None or text.strip() == "":
        return None
    text = text.strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    return float(text)


def _configs(count: int = 300) -> list[dict[str, Any]]:
    rng = random.Random(8)

    def pick(usual: list[str], odd: list[str | None]) -> str | None:
        return rng.choice(odd) if rng.random() < 0.07 else rng.choice(usual)

    configs = []
    for _ in range(count):
        kind = rng.choice(["RNN", "LSTM", "GRU"])
        hidden = pick(["1", "4", "6", "9"], ["0", "-3", "2.5", "", "4.0"])
        proj_usual = ["0", "0", "1", "2", "3", "8"] if kind == "LSTM" else ["0"] * 20 + ["2"]
        configs.append(
            {
                "kind": kind,
                "input_size": pick(["1", "3", "5", "8"], ["0", "-1", "1.5", ""]),
                "hidden_size": hidden,
                "num_layers": pick(["1", "1", "2", "3"], ["0", "-2", "1.5"]),
                "proj_size": pick(proj_usual, ["-1", "2.0", ""]),
                "bias": rng.random() < 0.7,
                "batch_first": rng.random() < 0.5,
                "bidirectional": rng.random() < 0.5,
                "seq_len": pick(["1", "2", "4", "7"], ["0", "-4", "2.5", ""]),
                "batch_size": rng.choice([None, None, "1", "2", "3", "5"]) if rng.random() > 0.05 else "0",
            }
        )
    return configs


def _python_result(config: dict[str, Any]) -> dict[str, Any]:
    values = {name: _python_value(config[name]) for name in ("input_size", "hidden_size", "num_layers", "proj_size")}
    arguments = {**values, "bias": config["bias"], "bidirectional": config["bidirectional"]}
    try:
        shapes = expected_shapes_for(
            config["kind"],
            **arguments,
            batch_first=config["batch_first"],
            seq_len=_python_value(config["seq_len"]),
            batch_size=_python_value(config["batch_size"]),
        )
    except (TypeError, ValueError) as error:
        return {"ok": False, "error": {"type": type(error).__name__, "message": str(error)}}
    rows = parameter_table_for(config["kind"], **arguments)
    names = [row.name for row in rows]
    return {
        "ok": True,
        "tensors": [[name, list(shape)] for name, shape in shapes.items() if name not in names],
        "parameters": [{"name": r.name, "shape": list(r.shape), "count": r.count, "formula": r.formula} for r in rows],
        "total": parameter_count_for(config["kind"], **arguments),
    }


def _module(config: dict[str, Any]) -> nn.Module:
    cls = getattr(nn, config["kind"])
    extra = (
        {}
        if config["kind"] != "LSTM" and config["proj_size"] == "0"
        else {"proj_size": _python_value(config["proj_size"])}
    )
    return cls(
        _python_value(config["input_size"]),
        _python_value(config["hidden_size"]),
        num_layers=_python_value(config["num_layers"]),
        bias=config["bias"],
        batch_first=config["batch_first"],
        bidirectional=config["bidirectional"],
        **extra,
    )


def _check_against_pytorch(config: dict[str, Any], result: dict[str, Any]) -> None:
    if not result["ok"]:
        message = result["error"]["message"]
        if message.startswith(SEQ_LEN_ZERO_MESSAGE):  # PyTorch raises it in the forward pass
            with pytest.raises(RuntimeError, match=re.escape(SEQ_LEN_ZERO_MESSAGE)):
                batch = () if config["batch_size"] in (None, "") else (int(config["batch_size"]),)
                sequence = (*batch, 0) if batch and config["batch_first"] else (0, *batch)
                _module(config)(torch.zeros(*sequence, int(config["input_size"])))
            return
        if message.startswith(("seq_len", "batch_size")) or re.match(
            r"(num_layers|proj_size) should be of type", message
        ):
            return  # not a constructor check of PyTorch's (or one it does not make as strictly)
        with pytest.raises((TypeError, ValueError)) as raised:
            _module(config)
        assert type(raised.value).__name__ == result["error"]["type"]
        assert message.startswith(str(raised.value)), (message, str(raised.value))
        return
    module = _module(config)
    shapes = dict((name, tuple(shape)) for name, shape, *_ in result["tensors"])
    with torch.no_grad():
        outputs = module(torch.zeros(shapes["input"]))
    output, state = outputs
    states = state if isinstance(state, tuple) else (state,)
    assert tuple(output.shape) == shapes["output"]
    assert tuple(states[0].shape) == shapes["h_n"] == shapes["h_0"]
    if config["kind"] == "LSTM":
        assert tuple(states[1].shape) == shapes["c_n"] == shapes["c_0"]
    assert [(n, tuple(p.shape)) for n, p in module.named_parameters()] == [
        (p["name"], tuple(p["shape"])) for p in result["parameters"]
    ]
    assert sum(p.numel() for p in module.parameters()) == result["total"]


@pytest.fixture(scope="module")
def calculator(browser: Any, site_url: str) -> Iterator[Any]:
    context = browser.new_context(viewport=chromium_support.DESKTOP, service_workers="block")
    tab = context.new_page()
    tab.goto(site_url + "calculator/")
    tab.wait_for_selector(".rg-calc-output table")
    yield tab
    context.close()


def test_calculator_agrees_with_rnn_guide_and_pytorch(calculator: Any) -> None:
    configs = _configs()
    results = calculator.evaluate("cs => cs.map(c => window.rnnGuideShapeCalculator.compute(c))", configs)
    legal = illegal = 0
    for config, got in zip(configs, results, strict=True):
        expected = _python_result(config)
        if got.get("ok"):
            got = {**got, "tensors": [[name, shape] for name, shape, _formula in got["tensors"]]}
        assert got == expected, f"calculator and rnn_guide.shapes disagree for {config}"
        _check_against_pytorch(config, {**got, "tensors": got.get("tensors", [])})
        legal, illegal = legal + got["ok"], illegal + (not got["ok"])
    print(f"calculator checked on {legal} legal and {illegal} illegal configurations")
    assert legal >= 150 and illegal >= 40


def _form_rows(tab: Any, table: int) -> list[list[str]]:
    return tab.eval_on_selector_all(
        f".rg-calc-output table:nth-of-type({table}) tbody tr",
        "rows => rows.map(r => [...r.cells].map(c => c.textContent.trim()))",
    )


@pytest.mark.parametrize("language", ["en", "zh"])
def test_calculator_form(browser: Any, site_url: str, language: str) -> None:
    context = browser.new_context(viewport=chromium_support.PHONE, service_workers="block")
    tab = context.new_page()
    tab.goto(site_url + ("zh/" if language == "zh" else "") + "calculator/")
    tab.select_option("#rg-calc-kind", "GRU")
    tab.fill("#rg-calc-input_size", "7")
    tab.fill("#rg-calc-hidden_size", "5")
    tab.fill("#rg-calc-num_layers", "2")
    tab.check("#rg-calc-bidirectional")
    tab.check("#rg-calc-batch_first")
    tab.fill("#rg-calc-seq_len", "11")
    tab.fill("#rg-calc-batch_size", "4")
    config = {
        "kind": "GRU",
        "input_size": "7",
        "hidden_size": "5",
        "num_layers": "2",
        "proj_size": "0",
        "bias": True,
        "batch_first": True,
        "bidirectional": True,
        "seq_len": "11",
        "batch_size": "4",
    }
    expected = _python_result(config)
    tensors = _form_rows(tab, 1)
    assert [row[:2] for row in tensors] == [
        [name, "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"]
        for name, shape in expected["tensors"]
    ]
    parameters = _form_rows(tab, 2)
    assert [row[0] for row in parameters[:-1]] == [p["name"] for p in expected["parameters"]]
    assert parameters[-1][2] == f"{expected['total']:,}"
    headers = tab.eval_on_selector_all(".rg-calc-output th", "ths => ths.map(t => t.textContent)")
    assert ("参数量" in headers) == (language == "zh")
    # An illegal combination shows PyTorch's message, and the tables go away.
    tab.fill("#rg-calc-proj_size", "3")
    message = tab.locator(".rg-calc-message").text_content()
    assert message == "ValueError: " + _python_result({**config, "proj_size": "3"})["error"]["message"]
    assert message.startswith("ValueError: proj_size argument is only supported for LSTM, not RNN or GRU")
    assert tab.locator(".rg-calc-output table").count() == 0
    tab.fill("#rg-calc-proj_size", "0")
    tab.check("#rg-calc-unbatched")
    assert _form_rows(tab, 1)[0][1] == "(11, 7)"
    assert tab.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    context.close()


#: Configurations whose emitted code is run: RNN/LSTM/GRU, batch_first, bidirectional, stacked, proj_size, unbatched.
CODE_CONFIGS = [
    {"kind": "RNN", "input_size": "4", "hidden_size": "6", "seq_len": "5", "batch_size": "3"},
    {"kind": "GRU", "num_layers": "2", "batch_first": "1", "bidirectional": "1", "batch_size": "2"},
    {"kind": "LSTM", "proj_size": "3", "num_layers": "3", "batch_first": "1", "bidirectional": "1"},
    {"kind": "LSTM", "bidirectional": "1", "unbatched": "1"},
    {"kind": "GRU", "unbatched": "1", "bias": "0"},
    {"kind": "LSTM", "num_layers": "2", "proj_size": "7", "seq_len": "1"},
    {"kind": "RNN", "bidirectional": "1", "num_layers": "2", "batch_first": "1"},
]


@pytest.mark.parametrize("language", ["en", "zh"])
def test_calculator_emits_code_that_runs_and_matches_the_page(browser: Any, site_url: str, language: str) -> None:
    """Each configuration is loaded from its permalink; the emitted code runs with PyTorch and prints the
    shapes of the page's table, the parameter count and the memory the page shows; the last step of each
    direction it takes equals the matching row of h_n."""
    context = browser.new_context(viewport=chromium_support.DESKTOP, service_workers="block")
    tab = context.new_page()
    page = site_url + ("zh/" if language == "zh" else "") + "calculator/"
    shown = []
    for config in CODE_CONFIGS:
        tab.goto(page + "?" + urlencode(config))
        tab.wait_for_selector("#rg-calc-code code")
        assert tab.input_value("#rg-calc-kind") == config["kind"]
        assert tab.locator("#rg-calc-unbatched").is_checked() == (config.get("unbatched") == "1")
        permalink = tab.get_attribute(".rg-calc-permalink", "href")
        assert all(f"{name}={value}" in permalink for name, value in config.items()), (permalink, config)
        code = tab.locator("#rg-calc-code code").text_content()
        assert tab.locator("#rg-calc-code button.md-clipboard").count() == 1
        assert ("正向方向的最后一步" in code) == (language == "zh")
        shown.append(
            {
                "code": code,
                "shapes": {row[0]: row[1] for row in _form_rows(tab, 1)},
                "count": tab.get_attribute(".rg-calc-count", "data-count"),
                "table_count": _form_rows(tab, 2)[-1][2].replace(",", ""),
                "weight_bytes": tab.get_attribute(".rg-calc-weights", "data-bytes"),
                "activation_bytes": tab.get_attribute(".rg-calc-activations", "data-bytes"),
            }
        )
    context.close()
    # Each emitted program runs as if pasted alone into a fresh interpreter (one process for all of them).
    runs = _run_each_alone([item["code"] for item in shown])
    for config, item, (printed_text, error) in zip(CODE_CONFIGS, shown, runs, strict=True):
        assert error is None, f"{config}: the emitted code failed\n{item['code']}\n{error}"
        printed = dict(line.split(" ", 1) for line in printed_text.splitlines())
        shapes = item["shapes"]
        for name in ("output", "h_n", "c_n"):
            if name in shapes or name in printed:
                assert printed[name] == shapes[name], (config, name, printed, shapes)
        assert printed["forward"] == "True" and printed.get("backward", "True") == "True", (config, printed)
        assert ("backward" in printed) == (config.get("bidirectional") == "1")
        assert printed["parameters"] == item["count"] == item["table_count"]
        assert printed["weight_bytes"] == item["weight_bytes"]
        assert printed["activation_bytes"] == item["activation_bytes"]


def _run_each_alone(codes: list[str]) -> list[tuple[str, str | None]]:
    """Run each program as the suite runs a page's block alone (one fresh interpreter, a namespace and the
    random state of a fresh start for each): (what it printed, traceback or None)."""
    from support.snippets import run_sources_alone

    items = [{"path": "<calculator>", "section": str(i), "first_line": 1, "source": c} for i, c in enumerate(codes)]
    return [(r["printed"], r["error"]) for r in run_sources_alone(items, timeout=300)]
