"""Figure and table of the classifier comparison: accuracy and training time against the cell type, the hidden
and embedding sizes, and the depth.

Drawn from a ``classifier_comparison_<dataset>`` result of ``benchmarks/classifier_comparison.py``, whose
``config["rows"]`` holds one dict per trained model: ``table`` (``"cell"``, ``"size"`` or ``"depth"``), the
settings (``rnn_type``, ``hidden_size``, ``embedding_dim``, ``num_layers``), ``test_accuracy``,
``training_seconds`` (wall clock), ``training_cpu_seconds`` (CPU time of the process) and ``parameters``.

Rows with ``table == "baseline"`` are the references trained on the same texts in the same run: ``model``
names them (:data:`BASELINES`), and they carry ``test_accuracy`` and the times but no recurrent settings.
The table lists them last; the figure draws each as a horizontal line in every accuracy panel.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rnn_guide._validation import check_choice, describe
from rnn_guide.plotting.style import add_labels, check_language, label, use_style

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["BASELINES", "TABLES", "TIMES", "format_sweep_table", "plot_classifier_sweep", "sweep_rows"]

#: The tables of the comparison, in the order shown (columns of the figure).
TABLES: tuple[str, ...] = ("cell", "size", "depth")
#: The baseline rows' ``model`` names, in the order shown.
BASELINES: tuple[str, ...] = ("tfidf_logistic_regression", "defaults")
#: ``time=`` choices: the row key each one reads.
TIMES: dict[str, str] = {"cpu": "training_cpu_seconds", "wall": "training_seconds"}

add_labels(
    {
        "sweep_cell": {"en": "recurrent cell", "zh": "循环单元", None: "cell"},
        "sweep_hidden": {"en": "hidden size per direction", "zh": "每个方向的隐藏层维度", None: "$H$"},
        "sweep_depth": {"en": "number of layers", "zh": "层数", None: "layers"},
        "sweep_embedding": {"en": "embedding {size}", "zh": "词嵌入维度 {size}", None: "$E={size}$"},
        "sweep_accuracy": {"en": "test accuracy", "zh": "测试集准确率", None: "accuracy"},
        "sweep_accuracy_percent": {"en": "test accuracy (%)", "zh": "测试集准确率（%）", None: "accuracy (%)"},
        "sweep_time_cpu": {"en": "training time (CPU s)", "zh": "训练时间（CPU 秒）", None: "CPU s"},
        "sweep_time_wall": {"en": "training time (s)", "zh": "训练时间（秒）", None: "s"},
        "sweep_title_cell": {"en": "RNN, LSTM or GRU", "zh": "RNN、LSTM 还是 GRU", None: ""},
        "sweep_title_size": {
            "en": "Hidden and embedding size (LSTM)",
            "zh": "隐藏层维度与词嵌入维度（LSTM）",
            None: "",
        },
        "sweep_title_depth": {"en": "Depth (LSTM)", "zh": "深度（LSTM）", None: ""},
        "sweep_setting": {"en": "setting", "zh": "设置", None: "setting"},
        "sweep_parameters": {"en": "parameters", "zh": "参数量", None: "parameters"},
        "sweep_row_cell": {
            "en": "{cell}, embedding {embedding}, hidden {hidden}",
            "zh": "{cell}，嵌入 {embedding}，隐藏 {hidden}",
            None: "{cell}, E={embedding}, H={hidden}",
        },
        "sweep_row_size": {
            "en": "LSTM, embedding {embedding}, hidden {hidden}",
            "zh": "LSTM，嵌入 {embedding}，隐藏 {hidden}",
            None: "LSTM, E={embedding}, H={hidden}",
        },
        "sweep_row_tfidf_logistic_regression": {
            "en": "baseline: TF-IDF + logistic regression",
            "zh": "基线：TF-IDF + 逻辑回归",
            None: "TF-IDF + LR",
        },
        "sweep_row_defaults": {
            "en": "train_text_classifier defaults (n-grams + BiLSTM, early stopping)",
            "zh": "train_text_classifier 默认设置（n 元语法 + 双向 LSTM，提前停止）",
            None: "defaults",
        },
        "sweep_row_depth": {
            "en": "LSTM, {layers} layer(s)",
            "zh": "LSTM，{layers} 层",
            None: "LSTM, layers={layers}",
        },
    }
)

_CELL_NAMES = {"rnn": "RNN", "lstm": "LSTM", "gru": "GRU"}
_CELL_ORDER = ("rnn", "lstm", "gru")
_COLORS = ("#5e35b1", "#ff8f00", "#00897b", "#e53935", "#546e7a")
_MARKERS = ("o", "s", "^", "D", "v")
_REQUIRED = ("table", "rnn_type", "hidden_size", "embedding_dim", "test_accuracy")
_REQUIRED_BASELINE = ("table", "model", "test_accuracy")
_BASELINE_STYLES = ({"color": "#424242", "linestyle": "--"}, {"color": "#e53935", "linestyle": ":"})


def _rows(result: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    config = result.get("config") if isinstance(result, Mapping) else None
    rows = config.get("rows") if isinstance(config, Mapping) else None
    if not isinstance(rows, Sequence) or isinstance(rows, str):
        raise TypeError(
            f"result must be a classifier_comparison result record (a dict with config['rows']), got {describe(result)}"
        )
    checked = []
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            raise TypeError(f"config['rows'][{i}] must be a dict, got {describe(row)}")
        required = _REQUIRED_BASELINE if row.get("table") == "baseline" else _REQUIRED
        missing = [key for key in required if key not in row]
        if missing:
            raise ValueError(f"config['rows'][{i}] lacks the keys {missing}")
        checked.append(row)
    if not checked:
        raise ValueError("result holds no rows of benchmarks/classifier_comparison.py")
    return checked


def _baselines(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The baseline rows in the order of :data:`BASELINES`."""
    found = _table(rows, "baseline")
    for row in found:
        check_choice("model of a baseline row", row["model"], BASELINES)
    return sorted(found, key=lambda r: BASELINES.index(r["model"]))


def _time_key(rows: Sequence[Mapping[str, Any]], time: str) -> str:
    check_choice("time", time, tuple(TIMES))
    key = TIMES[time]
    if any(key not in row for row in rows):
        raise ValueError(f"time={time!r} needs {key!r} in every row; this result lacks it")
    return key


def _table(rows: Sequence[Mapping[str, Any]], table: str) -> list[Mapping[str, Any]]:
    return [row for row in rows if row["table"] == table]


def _setting(row: Mapping[str, Any], language: str | None) -> str:
    table = row["table"]
    if table == "baseline":
        return label(f"sweep_row_{row['model']}", language)
    if table == "depth":
        return label("sweep_row_depth", language, layers=row.get("num_layers", 1))
    key = "sweep_row_size" if table == "size" else "sweep_row_cell"
    cell = _CELL_NAMES.get(row["rnn_type"], str(row["rnn_type"]))
    return label(key, language, cell=cell, embedding=row["embedding_dim"], hidden=row["hidden_size"])


def sweep_rows(
    result: Mapping[str, Any], language: str | None = "en", *, time: str = "cpu"
) -> list[tuple[str, str, str, str]]:
    """Rows ``(setting, test accuracy, training time, parameters)`` of the table, as text.

    Args:
        result: a ``classifier_comparison_<dataset>`` result record (see
            :func:`rnn_guide.results.latest_result`).
        language: "en", "zh" or None (symbols only).
        time: ``"cpu"`` (``training_cpu_seconds``, default) or ``"wall"`` (``training_seconds``).

    Returns:
        One row per trained setting, tables in the order of :data:`TABLES`, then the baselines; a setting
        repeated in two tables (the default LSTM) appears in each. Accuracy in percent with one decimal
        (``73.7 %``; ``73.7%`` in Chinese), time in whole seconds.

    Raises:
        TypeError, ValueError: if ``result`` is not a comparison record or lacks the time asked for.
    """
    check_language(language)
    rows = _rows(result)
    key = _time_key(rows, time)
    out = []
    for row in [r for table in TABLES for r in _table(rows, table)] + _baselines(rows):
        parameters = row.get("parameters")
        out.append(
            (
                _setting(row, language),
                # Chinese writes the percent sign without a space: 73.7%
                f"{100 * float(row['test_accuracy']):.1f}{'%' if language == 'zh' else ' %'}",
                f"{float(row[key]):,.0f}",
                f"{int(parameters):,}" if parameters is not None else "",
            )
        )
    return out


def format_sweep_table(result: Mapping[str, Any], language: str | None = "en", *, time: str = "cpu") -> str:
    """The rows of :func:`sweep_rows` as a Markdown table (header in ``language``)."""
    header = (
        label("sweep_setting", language),
        label("sweep_accuracy", language),
        label(f"sweep_time_{time}", language) if time in TIMES else time,
        label("sweep_parameters", language),
    )
    lines = [f"| {' | '.join(header)} |", "|:--|--:|--:|--:|"]
    lines += [f"| {' | '.join(row)} |" for row in sweep_rows(result, language, time=time)]
    return "\n".join(lines)


def _draw_cells(top: Axes, bottom: Axes, rows: Sequence[Mapping[str, Any]], key: str) -> None:
    cells = sorted(rows, key=lambda r: _CELL_ORDER.index(r["rnn_type"]) if r["rnn_type"] in _CELL_ORDER else 9)
    names = [_CELL_NAMES.get(r["rnn_type"], str(r["rnn_type"])) for r in cells]
    positions = list(range(len(cells)))
    colors = [_COLORS[i % len(_COLORS)] for i in positions]
    top.bar(positions, [100 * float(r["test_accuracy"]) for r in cells], color=colors, alpha=0.85)
    bottom.bar(positions, [float(r[key]) for r in cells], color=colors, alpha=0.85)
    for axes in (top, bottom):
        axes.set_xticks(positions, names)
        axes.grid(axis="x", visible=False)


def _draw_sizes(top: Axes, bottom: Axes, rows: Sequence[Mapping[str, Any]], key: str, language: str | None) -> None:
    embeddings = sorted({int(r["embedding_dim"]) for r in rows})
    hidden_sizes = sorted({int(r["hidden_size"]) for r in rows})
    for i, embedding in enumerate(embeddings):
        line = sorted((r for r in rows if int(r["embedding_dim"]) == embedding), key=lambda r: r["hidden_size"])
        xs = [int(r["hidden_size"]) for r in line]
        style = {"color": _COLORS[i % len(_COLORS)], "marker": _MARKERS[i % len(_MARKERS)], "linewidth": 2}
        top.plot(xs, [100 * float(r["test_accuracy"]) for r in line], **style)
        bottom.plot(
            xs, [float(r[key]) for r in line], label=label("sweep_embedding", language, size=embedding), **style
        )
    for axes in (top, bottom):
        axes.set_xscale("log", base=2)
        axes.set_xticks(hidden_sizes, [str(h) for h in hidden_sizes])
        axes.minorticks_off()
    bottom.legend(frameon=False)


def _draw_depth(top: Axes, bottom: Axes, rows: Sequence[Mapping[str, Any]], key: str) -> None:
    line = sorted(rows, key=lambda r: int(r.get("num_layers", 1)))
    xs = [int(r.get("num_layers", 1)) for r in line]
    style = {"color": _COLORS[0], "marker": "o", "linewidth": 2}
    top.plot(xs, [100 * float(r["test_accuracy"]) for r in line], **style)
    bottom.plot(xs, [float(r[key]) for r in line], **style)
    for axes in (top, bottom):
        axes.set_xticks(xs, [str(x) for x in xs])
        axes.minorticks_off()


def plot_classifier_sweep(result: Mapping[str, Any], language: str | None = "en", *, time: str = "cpu") -> Figure:
    """Test accuracy (top row) and training time (bottom row) for each table of the comparison (columns).

    Columns, for the tables present: the cell type (bars for RNN, LSTM, GRU); the hidden size (x, log scale)
    with one line per embedding size; the number of layers. Accuracy is in percent. Baseline rows, if any,
    are horizontal lines across every accuracy panel, named in a legend below the figure.

    Args:
        result: a ``classifier_comparison_<dataset>`` result record.
        language: "en" or "zh", the language of the labels, or None for symbols only (and no titles).
        time: ``"cpu"`` (CPU seconds of the training process, default: less disturbed by other programs on
            the machine) or ``"wall"`` (wall-clock seconds).

    Returns:
        The matplotlib figure, 2 rows × (number of tables present) columns.

    Raises:
        TypeError: if ``result`` is not a comparison record.
        ValueError: if it has no rows, a row lacks a required key, or ``time`` is unknown or missing.
    """
    import matplotlib.pyplot as plt

    check_language(language)
    rows = _rows(result)
    key = _time_key(rows, time)
    tables = [table for table in TABLES if _table(rows, table)]
    if not tables:
        raise ValueError(f"result holds no row of the tables {TABLES}")
    use_style()
    widths = {"cell": 0.8, "size": 1.3, "depth": 0.8}
    fig, axes = plt.subplots(
        2,
        len(tables),
        figsize=(3.6 * sum(widths[t] for t in tables) + 1.0, 6.2),
        squeeze=False,
        sharex="col",
        gridspec_kw={"width_ratios": [widths[t] for t in tables]},
    )
    for column, table in enumerate(tables):
        top, bottom = axes[0][column], axes[1][column]
        rows_of_table = _table(rows, table)
        if table == "cell":
            _draw_cells(top, bottom, rows_of_table, key)
            bottom.set_xlabel(label("sweep_cell", language))
        elif table == "size":
            _draw_sizes(top, bottom, rows_of_table, key, language)
            bottom.set_xlabel(label("sweep_hidden", language))
        else:
            _draw_depth(top, bottom, rows_of_table, key)
            bottom.set_xlabel(label("sweep_depth", language))
        bottom.set_ylim(bottom=0)
        if language is not None:
            top.set_title(label(f"sweep_title_{table}", language))
    accuracies = [100 * float(r["test_accuracy"]) for r in rows]
    low, high = min(accuracies), max(accuracies)
    margin = max(0.5, 0.1 * (high - low))
    baselines = _baselines(rows)
    for column in range(len(tables)):
        axes[0][column].set_ylim(low - margin, high + margin)
        for row, style in zip(baselines, _BASELINE_STYLES, strict=False):
            axes[0][column].axhline(
                100 * float(row["test_accuracy"]), linewidth=1.5, label=_setting(row, language), **style
            )

    axes[0][0].set_ylabel(label("sweep_accuracy_percent", language))
    axes[1][0].set_ylabel(label(f"sweep_time_{time}", language))
    if baselines:  # one legend for the lines of every accuracy panel, below the figure
        handles, labels = axes[0][0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="lower center", ncol=len(labels), frameon=False)
        fig.tight_layout(rect=(0, 0.05, 1, 1))
    else:
        fig.tight_layout()
    return fig
