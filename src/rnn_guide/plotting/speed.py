"""Figure and table for the speed page, drawn from a ``speed`` result file of ``benchmarks/speed.py``.

The result's ``metrics`` hold ``<setting>_samples_per_second`` (the median over rounds) and its
``_lower_quartile`` / ``_upper_quartile``; ``config["compile"]`` says what became of each ``torch.compile``
attempt. Settings whose metric is missing (a compilation that failed or ran out of time) are left out of
the figure and reported in the table with their status.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rnn_guide._validation import describe
from rnn_guide.plotting.style import add_labels, check_language, label, use_style

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["BATCH_SETTING", "IMPLEMENTATIONS", "format_speed_table", "plot_speed", "speed_rows"]

#: Settings at batch 32, length 64, one thread, in the order shown.
IMPLEMENTATIONS = (
    "fused_lstm",
    "lstm_cell_loop",
    "compiled_lstm_cell_loop",
    "compiled_cell_step",
    "padded",
    "packed",
)
#: Name pattern of the batch-size and thread settings.
BATCH_SETTING = re.compile(r"batch_size_(\d+)_threads_(\d+)")

add_labels(
    {
        "speed_fused_lstm": {"en": "nn.LSTM (fused)", "zh": "nn.LSTM（融合实现）", None: "nn.LSTM"},
        "speed_lstm_cell_loop": {
            "en": "LSTMCell in a Python loop",
            "zh": "Python 循环 + LSTMCell",
            None: "LSTMCell loop",
        },
        "speed_compiled_lstm_cell_loop": {
            "en": "torch.compile(LSTMCell loop)",
            "zh": "torch.compile 编译整个 LSTMCell 循环",
            None: "compile(loop)",
        },
        "speed_compiled_cell_step": {
            "en": "loop over torch.compile(LSTMCell)",
            "zh": "循环调用 torch.compile(LSTMCell)",
            None: "loop(compile(cell))",
        },
        "speed_padded": {
            "en": "nn.LSTM, padded (lengths 8 to 64)",
            "zh": "nn.LSTM，填充（长度 8 到 64）",
            None: "padded",
        },
        "speed_packed": {
            "en": "nn.LSTM, packed (lengths 8 to 64)",
            "zh": "nn.LSTM，打包序列（长度 8 到 64）",
            None: "packed",
        },
        "speed_samples_per_second": {
            "en": "samples per second",
            "zh": "每秒样本数",
            None: "samples/s",
        },
        "speed_batch_size": {"en": "batch size N", "zh": "批量大小 N", None: "$N$"},
        "speed_threads": {
            "en": "{threads} thread(s)",
            "zh": "{threads} 个线程",
            None: "{threads}",
        },
        "speed_implementations_title": {
            "en": "Batch 32, length 64, 1 thread",
            "zh": "批量 32，长度 64，1 个线程",
            None: "",
        },
        "speed_batch_title": {
            "en": "nn.LSTM, length 64",
            "zh": "nn.LSTM，长度 64",
            None: "",
        },
        "speed_setting": {"en": "setting", "zh": "设置", None: "setting"},
        "speed_median": {
            "en": "samples per second (median)",
            "zh": "每秒样本数（中位数）",
            None: "median",
        },
        "speed_quartiles": {"en": "quartiles", "zh": "四分位数", None: "quartiles"},
        "speed_batch_row": {
            "en": "nn.LSTM, batch {batch}, {threads} thread(s)",
            "zh": "nn.LSTM，批量 {batch}，{threads} 个线程",
            None: "N={batch}, threads={threads}",
        },
        "speed_not_measured": {"en": "not measured: {status}", "zh": "未测得：{status}", None: "{status}"},
        "speed_timeout": {
            "en": "compilation did not finish within {seconds} s",
            "zh": "编译在 {seconds} 秒内未完成",
            None: "timeout {seconds} s",
        },
    }
)

_BAR, _ONE, _TWO = "#5e35b1", "#5e35b1", "#ff8f00"
_SUFFIX = "_samples_per_second"


def _metrics(result: Mapping[str, Any]) -> Mapping[str, float]:
    if not isinstance(result, Mapping) or not isinstance(result.get("metrics"), Mapping):
        raise TypeError(f"result must be a result record (a dict with 'metrics'), got {describe(result)}")
    return result["metrics"]


def _triple(metrics: Mapping[str, float], setting: str) -> tuple[float, float, float] | None:
    key = setting + _SUFFIX
    if key not in metrics:
        return None
    median = float(metrics[key])
    return (
        float(metrics.get(key + "_lower_quartile", median)),
        median,
        float(metrics.get(key + "_upper_quartile", median)),
    )


def _status(result: Mapping[str, Any], setting: str, language: str | None) -> str | None:
    info = result.get("config", {}).get("compile", {}).get(setting)
    if info is None:
        return None
    status = info["status"] if isinstance(info, Mapping) else str(info)
    timeout = re.fullmatch(r"did not finish within (\d+) s", status)
    if timeout:
        return label("speed_timeout", language, seconds=timeout.group(1))
    return status


def speed_rows(
    result: Mapping[str, Any], language: str | None = "en", *, threads: Sequence[int] | None = None
) -> list[tuple[str, str, str]]:
    """Rows ``(setting, median, quartiles)`` of the table, as text, in the order of the page.

    Args:
        result: a ``speed`` result record (see :func:`rnn_guide.results.latest_result`).
        language: "en", "zh" or None.
        threads: the thread counts of the batch-size settings to include; None for all.

    Returns:
        One row per implementation setting (a missing compiled setting gets its status instead of numbers),
        then one per batch size and thread count.
    """
    check_language(language)
    metrics = _metrics(result)
    rows: list[tuple[str, str, str]] = []
    for setting in IMPLEMENTATIONS:
        triple = _triple(metrics, setting)
        name = label(f"speed_{setting}", language)
        if triple is None:
            status = _status(result, setting, language)
            if status is not None:
                rows.append((name, label("speed_not_measured", language, status=status), ""))
            continue
        low, median, high = triple
        rows.append((name, f"{median:,.0f}", f"{low:,.0f} – {high:,.0f}"))
    for batch, count, (low, median, high) in _batch_points(metrics, threads):
        name = label("speed_batch_row", language, batch=batch, threads=count)
        rows.append((name, f"{median:,.0f}", f"{low:,.0f} – {high:,.0f}"))
    return rows


def _batch_points(
    metrics: Mapping[str, float], threads: Sequence[int] | None = None
) -> list[tuple[int, int, tuple[float, float, float]]]:
    if threads is not None and (isinstance(threads, (str, bytes)) or not isinstance(threads, Sequence) or not threads):
        raise TypeError(f"threads must be a non-empty sequence of thread counts or None, got {describe(threads)}")
    points = []
    for key in metrics:
        match = BATCH_SETTING.fullmatch(key[: -len(_SUFFIX)]) if key.endswith(_SUFFIX) else None
        if match:
            triple = _triple(metrics, key[: -len(_SUFFIX)])
            assert triple is not None
            if threads is None or int(match.group(2)) in threads:
                points.append((int(match.group(1)), int(match.group(2)), triple))
    return sorted(points, key=lambda point: (point[1], point[0]))


def format_speed_table(
    result: Mapping[str, Any], language: str | None = "en", *, threads: Sequence[int] | None = None
) -> str:
    """The rows of :func:`speed_rows` as a Markdown table (header in ``language``)."""
    header = (label("speed_setting", language), label("speed_median", language), label("speed_quartiles", language))
    lines = [f"| {' | '.join(header)} |", "|:--|--:|--:|"]
    lines += [
        f"| {name} | {median} | {quartiles} |"
        for name, median, quartiles in speed_rows(result, language, threads=threads)
    ]
    return "\n".join(lines)


def plot_speed(
    result: Mapping[str, Any], language: str | None = "en", *, threads: Sequence[int] | None = None
) -> Figure:
    """Two panels: throughput of each implementation setting (bars), and against batch size per thread count.

    Args:
        result: a ``speed`` result record; each bar and point is a median, the whiskers the quartiles.
        language: "en" or "zh", the language of the labels, or None for symbols only (and no titles).
        threads: the thread counts of the batch-size settings to draw; None for all.

    Returns:
        The matplotlib figure.

    Raises:
        TypeError: if ``result`` is not a result record.
        ValueError: if it holds no setting of the speed benchmark.
    """
    import matplotlib.pyplot as plt

    check_language(language)
    metrics = _metrics(result)
    bars = [(s, t) for s in IMPLEMENTATIONS if (t := _triple(metrics, s)) is not None]
    points = _batch_points(metrics, threads)
    if not bars and not points:
        raise ValueError("result holds no '<setting>_samples_per_second' metric of benchmarks/speed.py")
    use_style()

    fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 4.2), gridspec_kw={"width_ratios": [1.1, 1]})
    names = [label(f"speed_{s}", language) for s, _ in bars]
    medians = [t[1] for _, t in bars]
    errors = [[t[1] - t[0] for _, t in bars], [t[2] - t[1] for _, t in bars]]
    positions = list(range(len(bars)))[::-1]
    left.barh(positions, medians, xerr=errors, color=_BAR, alpha=0.85, capsize=3)
    left.set_yticks(positions, names)
    left.set_xlabel(label("speed_samples_per_second", language))
    left.grid(axis="y", visible=False)

    for count, color, marker in ((1, _ONE, "o-"), (2, _TWO, "s--")):
        line = [(b, t) for b, th, t in points if th == count]
        if not line:
            continue
        sizes = [b for b, _ in line]
        right.errorbar(
            sizes,
            [t[1] for _, t in line],
            yerr=[[t[1] - t[0] for _, t in line], [t[2] - t[1] for _, t in line]],
            fmt=marker,
            color=color,
            capsize=3,
            linewidth=2,
            label=label("speed_threads", language, threads=count),
        )
    right.set_xscale("log", base=2)
    batch_sizes = sorted({b for b, _, _ in points})
    right.set_xticks(batch_sizes, [str(b) for b in batch_sizes])
    right.minorticks_off()
    right.set_xlabel(label("speed_batch_size", language))
    right.set_ylabel(label("speed_samples_per_second", language))
    right.set_ylim(bottom=0)
    if points:
        right.legend(frameon=False)
    if language is not None:
        left.set_title(label("speed_implementations_title", language))
        right.set_title(label("speed_batch_title", language))
    fig.tight_layout()
    return fig
