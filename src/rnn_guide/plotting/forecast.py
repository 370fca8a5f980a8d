"""Forecasts against what happened: the observed series, a marked forecast origin, one line per method."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from rnn_guide._validation import check_choice, check_int, describe
from rnn_guide.plotting.style import LABELS, add_labels, check_language, label, use_style

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["METHOD_NAMES", "plot_forecast"]

#: Forecast names that :func:`plot_forecast` writes in the figure's language; other names are kept as given.
METHOD_NAMES: tuple[str, ...] = ("naive", "seasonal_naive", "drift", "linear_ar", "linear", "repeat_last")

add_labels(
    {
        "forecast_observed": {"en": "observed", "zh": "实际值", None: "$y_t$"},
        "forecast_origin": {"en": "forecast origin", "zh": "预测起点", None: "$T$"},
        "forecast_value": {"en": "value", "zh": "取值", None: "$y_t$"},
        "forecast_passengers": {"en": "passengers (thousands)", "zh": "乘客（千人次）", None: "$y_t$"},
        "forecast_oil_temperature": {"en": "oil temperature OT (°C)", "zh": "油温 OT（°C）", None: "OT"},
        "forecast_year": {"en": "year", "zh": "年份", None: "$t$"},
        "forecast_date": {"en": "date", "zh": "日期", None: "$t$"},
        "forecast_method_naive": {"en": "naive", "zh": "朴素预测", None: "naive"},
        "forecast_method_seasonal_naive": {"en": "seasonal naive", "zh": "季节性朴素预测", None: "seasonal naive"},
        "forecast_method_drift": {"en": "drift", "zh": "漂移法", None: "drift"},
        "forecast_method_linear_ar": {"en": "linear AR", "zh": "线性自回归", None: "AR"},
        "forecast_method_linear": {"en": "linear (direct)", "zh": "线性（直接多步）", None: "linear"},
        "forecast_method_repeat_last": {"en": "repeat last value", "zh": "重复最后一个值", None: "naive"},
    }
)

_Y_LABELS = ("forecast_value", "forecast_passengers", "forecast_oil_temperature")
_X_LABELS = ("time_step", "forecast_year", "forecast_date")


def _values(name: str, values: Any) -> np.ndarray:
    if hasattr(values, "detach"):
        values = values.detach().cpu().numpy()
    if isinstance(values, (str, bytes, Mapping)) or values is None:
        raise TypeError(f"{name} must be a 1-D sequence of numbers, got {describe(values)}")
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a 1-D sequence of numbers, got {describe(values)}") from None
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1 or array.size == 0:
        raise ValueError(f"{name} must be 1-D and non-empty, (T,) or (T, 1), got shape {array.shape}")
    return array


def _method_name(name: str, language: str | None) -> str:
    key = f"forecast_method_{name}"
    return label(key, language) if name in METHOD_NAMES and key in LABELS else name


def plot_forecast(
    observed: Any,
    forecasts: Mapping[str, Any],
    *,
    start: int,
    context: int | None = None,
    index: Sequence[str] | None = None,
    tick_every: int | None = None,
    x_label: str = "time_step",
    y_label: str = "forecast_value",
    title: str | None = None,
    language: str | None = "en",
) -> Figure:
    """Plot forecasts over the observed series, with the forecast origin marked.

    Args:
        observed: the whole observed series of one channel, shape ``(T,)`` (or ``(T, 1)``): the history the
            forecasts were made from *and* the values that followed.
        forecasts: legend name -> forecast of shape ``(H,)`` whose first value belongs to row ``start``
            (``start + H <= T``). The names in :data:`METHOD_NAMES` (``"seasonal_naive"``, ``"linear_ar"``,
            ...) are written in the figure's language; other names (``"LSTM"``) are kept as given.
        start: the row of the first forecast value; the forecasts were made from rows ``[0, start)``.
        context: how many rows before ``start`` to show (default: all).
        index: the ``T`` time stamps, for the tick labels (default: row numbers).
        tick_every: a tick every this many rows (default: about eight ticks).
        x_label: the label key of the x axis: ``"time_step"``, ``"forecast_year"`` or ``"forecast_date"``.
        y_label: the label key of the y axis: ``"forecast_value"``, ``"forecast_passengers"`` or
            ``"forecast_oil_temperature"``.
        title: a title (already in the figure's language), or None; never drawn with ``language=None``.
        language: ``"en"`` or ``"zh"``, or None for symbols only.

    Returns:
        The matplotlib figure.

    Raises:
        TypeError: if ``observed`` or a forecast is not a sequence of numbers, or ``forecasts`` is not a
            non-empty mapping.
        ValueError: if a forecast runs past the observed series, ``start`` or ``context`` is out of range,
            ``index`` has the wrong length, or a key or language is unknown.
    """
    import matplotlib.pyplot as plt

    check_language(language)
    check_choice("x_label", x_label, _X_LABELS)
    check_choice("y_label", y_label, _Y_LABELS)
    series = _values("observed", observed)
    total = len(series)
    start = check_int("start", start, minimum=1)
    if start >= total:
        raise ValueError(f"start must be a row of observed, below T = {total}, got {start}")
    if not isinstance(forecasts, Mapping) or not forecasts:
        raise TypeError(f"forecasts must be a non-empty mapping from name to forecast, got {describe(forecasts)}")
    lines = {name: _values(f"forecasts[{name!r}]", values) for name, values in forecasts.items()}
    for name, values in lines.items():
        if start + len(values) > total:
            raise ValueError(
                f"forecasts[{name!r}] has {len(values)} values from row {start}, past the end of observed "
                f"(T = {total}); pass the observed values that followed the forecast origin too"
            )
    context = check_int("context", context, minimum=1, allow_none=True)
    first = 0 if context is None else max(0, start - context)
    if index is not None:
        if isinstance(index, (str, bytes)) or not isinstance(index, Sequence):
            raise TypeError(f"index must be a sequence of T time stamps, got {describe(index)}")
        if len(index) != total:
            raise ValueError(f"index must hold T = {total} time stamps like observed, got {len(index)}")
    tick_every = check_int("tick_every", tick_every, minimum=1, allow_none=True)

    use_style()
    fig, ax = plt.subplots(figsize=(8.0, 3.8))
    last = max(start + len(v) for v in lines.values())
    rows = np.arange(first, total)
    ax.plot(rows, series[first:], color="0.15", linewidth=1.6, label=label("forecast_observed", language))
    styles = ("-", "--", "-.", ":")
    for number, (name, values) in enumerate(lines.items()):
        ax.plot(
            np.arange(start, start + len(values)),
            values,
            linewidth=1.8,
            linestyle=styles[number % len(styles)],
            label=_method_name(name, language),
        )
    ax.axvline(start - 0.5, color="0.45", linestyle=":", linewidth=1.2)
    ax.text(start - 0.5, 1.0, " " + label("forecast_origin", language), transform=ax.get_xaxis_transform(),
            va="top", ha="left", fontsize="small", color="0.3")  # fmt: skip
    ax.set_xlim(first - 0.5, max(last, total) - 0.5)
    step = tick_every or max(1, (total - first) // 8)
    ticks = [t for t in range(first, total) if (t - first) % step == 0] if index is None else [
        t for t in range(first, total) if t % step == 0
    ]  # fmt: skip
    ax.set_xticks(ticks, [str(index[t]) for t in ticks] if index is not None else [str(t) for t in ticks])
    ax.set_xlabel(label(x_label, language))
    ax.set_ylabel(label(y_label, language))
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize="small")
    if title is not None and language is not None:
        ax.set_title(title)
    fig.tight_layout()
    return fig
