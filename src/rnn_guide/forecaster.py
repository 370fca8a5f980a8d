"""Train a recurrent forecaster on a series in one call, predict any number of steps, save and load it.

::

    forecaster = train_forecaster(train_series, lookback=36, horizon=12, scaling="log", seed=0)
    forecast = forecaster.predict(train_series, steps=24)   # (24,) in the units of the series
    forecaster.save("airline.pt"); Forecaster.load("airline.pt").predict(train_series)

:func:`train_forecaster` keeps the future out of training: the last ``valid_fraction`` of the rows is
held out for early stopping, the scaler is fitted on the training rows only, and every training window
predicts training rows only (its inputs never reach past them either). It trains with
:func:`rnn_guide.training.fit`. The networks themselves
(:class:`~rnn_guide.timeseries.models.SequenceForecaster`,
:class:`~rnn_guide.timeseries.models.SegmentRecurrentForecaster`) live in :mod:`rnn_guide.timeseries.models`.
"""

from __future__ import annotations

import math
import os
from typing import Any

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader

from rnn_guide._validation import check_choice, check_int, check_number, describe
from rnn_guide.baselines import seasonal_naive
from rnn_guide.checkpoints import load_checkpoint, save_checkpoint
from rnn_guide.devices import seed_everything
from rnn_guide.history import History
from rnn_guide.metrics import forecast_metrics
from rnn_guide.timeseries.arrays import as_series_array, check_lookback_horizon
from rnn_guide.timeseries.models import (
    FORECASTER_MODELS,
    SegmentRecurrentForecaster,
    SequenceForecaster,
    WindowForecaster,
    build_forecaster_model,
)
from rnn_guide.timeseries.scaling import Scaler, make_scaler, scaler_from_state
from rnn_guide.timeseries.splits import ChronologicalSplit, chronological_split, window_datasets
from rnn_guide.training import evaluate, fit

__all__ = [
    "LOSSES",
    "Forecaster",
    "default_segment_length",
    "train_forecaster",
]

LOSSES: dict[str, type[nn.Module]] = {"mse": nn.MSELoss, "mae": nn.L1Loss, "huber": nn.HuberLoss}
"""Training losses accepted by :func:`train_forecaster`, computed on the scaled series."""

_FORMAT = "rnn_guide.forecaster"


def default_segment_length(lookback: int) -> int:
    """The divisor of ``lookback`` closest to its square root (24 for 720, 4 for 24), the smaller on a tie."""
    lookback = check_int("lookback", lookback, minimum=1)
    divisors = [d for d in range(1, lookback + 1) if lookback % d == 0]
    return min(divisors, key=lambda d: (abs(d - math.sqrt(lookback)), d))


class Forecaster:
    """A trained model together with its scaler and window length: forecasts in the units of the series.

    Args:
        model: a trained :class:`~rnn_guide.timeseries.models.WindowForecaster`.
        scaler: the fitted scaler (fitted on training rows only).
        lookback: number of past rows ``L`` the model reads.
        model_name: the model's key in :data:`~rnn_guide.timeseries.models.FORECASTER_MODELS`.
        settings: the training settings (plain values), kept for reference and saved with the model.
        history: the :class:`~rnn_guide.history.History` of training, if any.

    Attributes:
        horizon: rows ``H`` produced per forward pass; :meth:`predict` rolls out any number of steps.
        n_channels: number of channels ``C`` of the series.
    """

    def __init__(
        self,
        model: WindowForecaster,
        scaler: Scaler,
        *,
        lookback: int,
        model_name: str,
        settings: dict[str, Any] | None = None,
        history: History | None = None,
    ) -> None:
        if not isinstance(model, WindowForecaster):
            raise TypeError(f"model must be a WindowForecaster, got {describe(model)}")
        if not isinstance(scaler, Scaler) or scaler.n_channels is None:
            raise TypeError(f"scaler must be a fitted Scaler, got {describe(scaler)}")
        lookback = check_int("lookback", lookback, minimum=1)
        check_choice("model_name", model_name, tuple(FORECASTER_MODELS))
        self.model = model
        self.scaler = scaler
        self.lookback = lookback
        self.model_name = model_name
        self.settings = dict(settings or {})
        self.history = history
        self.horizon = model.horizon
        self.n_channels = model.input_size

    def __repr__(self) -> str:
        return (
            f"Forecaster(model={type(self.model).__name__}, lookback={self.lookback}, "
            f"horizon={self.horizon}, "
            f"n_channels={self.n_channels}, scaling={self.scaler.kind!r})"
        )

    def _device(self) -> torch.device:
        return next(self.model.parameters()).device

    def predict(self, history: Any, steps: int | None = None) -> np.ndarray:
        """Forecast the ``steps`` rows that follow ``history``.

        Only the last ``lookback`` rows of ``history`` are read. Beyond ``horizon`` steps the forecast is
        rolled out autoregressively (see :meth:`~rnn_guide.timeseries.models.WindowForecaster.forecast`).

        Args:
            history: the observed series up to now, ``(T,)`` or ``(T, C)`` with ``T >= lookback``.
            steps: number of future rows (default: ``horizon``).

        Returns:
            A float64 array ``(steps,)`` for a 1-D ``history``, else ``(steps, C)``, in the series' units.

        Raises:
            ValueError: if ``history`` is shorter than ``lookback``, has another number of channels, NaNs,
                or values the scaler cannot take (e.g. non-positive values with log scaling).
        """
        steps = self.horizon if steps is None else steps
        steps = check_int("steps", steps, minimum=1)
        values, was_1d = as_series_array(history, name="history", min_length=self.lookback)
        if values.shape[1] != self.n_channels:
            raise ValueError(
                f"history must have the {self.n_channels} channel(s) the forecaster was trained on, "
                f"got {values.shape[1]}"
            )
        window = self.scaler.transform(values[-self.lookback :])
        inputs = torch.as_tensor(window, dtype=torch.float32, device=self._device()).unsqueeze(0)
        was_training = self.model.training
        self.model.eval()
        try:
            with torch.no_grad():
                scaled = self.model.forecast(inputs, steps)[0]
        finally:
            self.model.train(was_training)
        forecast = self.scaler.inverse_transform(scaled.double().cpu().numpy())
        return forecast[:, 0] if was_1d else forecast

    def evaluate(self, series: Any, *, test_size: int, season: int = 1) -> dict[str, dict[str, float]]:
        """Forecast the last ``test_size`` rows of ``series`` from the rows before them and score it.

        The forecast is made once from the end of ``series[:-test_size]`` (rolled out if ``test_size``
        exceeds ``horizon``), and compared with the seasonal naive forecast of the same history.

        Args:
            series: ``(T,)`` or ``(T, C)``, with ``T - test_size >= lookback``.
            test_size: number of held-out rows ``H_test``.
            season: seasonal period for the seasonal naive baseline and MASE (1: naive).

        Returns:
            ``{"forecaster": metrics, "seasonal_naive": metrics}``, metrics as in
            :func:`rnn_guide.metrics.forecast_metrics`, in the units of the series.
        """
        test_size = check_int("test_size", test_size, minimum=1)
        season = check_int("season", season, minimum=1)
        values, _ = as_series_array(series, min_length=self.lookback + test_size)
        history, truth = values[:-test_size], values[-test_size:]
        forecasts = {"forecaster": self.predict(history, test_size)}
        if len(history) >= season:
            forecasts["seasonal_naive"] = seasonal_naive(history, test_size, season)
        results = {}
        for name, forecast in forecasts.items():
            try:
                results[name] = forecast_metrics(truth, forecast, y_train=history, season=season)
            except ValueError:  # history too short or constant at lag `season`: no MASE scale
                results[name] = forecast_metrics(truth, forecast)
        return results

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the forecaster to ``path`` atomically; :meth:`load` reads it with ``weights_only=True``."""
        save_checkpoint(
            path,
            model=self.model,
            epoch=self.history.epochs if self.history is not None else 0,
            history=self.history,
            extra={
                "format": _FORMAT,
                "model_name": self.model_name,
                "model_config": dict(self.model.config),
                "scaler": self.scaler.state_dict(),
                "lookback": self.lookback,
                "settings": self.settings,
            },
        )

    @classmethod
    def load(cls, path: str | os.PathLike[str], *, map_location: str | torch.device = "cpu") -> Forecaster:
        """Read a forecaster written by :meth:`save`.

        Raises:
            FileNotFoundError: if ``path`` does not exist.
            ValueError: if the file is not a saved forecaster.
        """
        checkpoint = load_checkpoint(path, map_location=map_location)
        extra = checkpoint.extra
        if extra.get("format") != _FORMAT:
            holds = extra.get("kind") or checkpoint.config.get("class_name", "an unknown model")
            raise ValueError(f"{str(path)!r} is not a saved Forecaster: it holds a checkpoint of {holds}")
        model = build_forecaster_model(extra["model_name"], dict(extra["model_config"]))
        model.load_state_dict(checkpoint.model_state)
        model.to(map_location)
        return cls(
            model,
            scaler_from_state(extra["scaler"]),
            lookback=extra["lookback"],
            model_name=extra["model_name"],
            settings=extra["settings"],
            history=checkpoint.history,
        )


def _build_model(
    model: str,
    *,
    n_channels: int,
    lookback: int,
    horizon: int,
    rnn_type: str,
    hidden_size: int,
    num_layers: int,
    dropout: float,
    normalization: str,
    channel_independent: bool,
    segment_length: int | None,
    linear_skip: bool,
) -> WindowForecaster:
    if model == "sequence":
        return SequenceForecaster(
            n_channels,
            horizon,
            hidden_size=hidden_size,
            num_layers=num_layers,
            rnn_type=rnn_type,
            dropout=dropout,
            normalization=normalization,
            channel_independent=channel_independent,
            linear_skip=linear_skip,
            lookback=lookback if linear_skip else None,
        )
    if num_layers != 1:
        raise ValueError(f"num_layers must be 1 for model='segment' (one recurrent layer), got {num_layers}")
    return SegmentRecurrentForecaster(
        n_channels,
        lookback,
        horizon,
        segment_length=segment_length if segment_length is not None else default_segment_length(lookback),
        d_model=hidden_size,
        rnn_type=rnn_type,
        dropout=dropout,
        normalization=normalization,
        channel_independent=channel_independent,
        linear_skip=linear_skip,
    )


def _split_rows(rows: int, *, lookback: int, horizon: int, valid_fraction: float) -> ChronologicalSplit:
    """The chronological train/validation split of ``rows`` rows: the last ``valid_fraction`` (at least one
    window's ``horizon`` rows when it is not 0) for validation, checked to leave a training window."""
    if rows < lookback + horizon:
        raise ValueError(f"series must have at least lookback + horizon = {lookback + horizon} rows, got {rows}")
    valid_rows = round(rows * valid_fraction)
    if valid_fraction > 0:
        valid_rows = max(valid_rows, horizon)  # the validation part must hold one whole window
    split = chronological_split(rows, valid_size=valid_rows)
    if len(split.train) < lookback + horizon:
        raise ValueError(
            f"the training part ({len(split.train)} of {rows} rows after {valid_rows} validation rows, "
            f"valid_fraction={valid_fraction}) must have at least lookback + horizon = {lookback + horizon} "
            "rows; lower valid_fraction (0 trains on every row), lookback or horizon"
        )
    return split


def _adam_without_decay_on_the_skip(network: WindowForecaster, *, lr: float, weight_decay: float) -> torch.optim.Adam:
    """Adam with its L2 ``weight_decay`` on every parameter but the least-squares linear skip's."""
    skip = getattr(network, "skip", None)  # a WindowForecaster subclass may have no linear skip at all
    skip_ids = {id(p) for p in skip.parameters()} if skip is not None else set()
    groups = [
        {"params": [p for p in network.parameters() if id(p) not in skip_ids], "weight_decay": weight_decay},
        {"params": [p for p in network.parameters() if id(p) in skip_ids], "weight_decay": 0.0},
    ]
    return torch.optim.Adam([g for g in groups if g["params"]], lr=lr)


def _linear_start(
    network: WindowForecaster, train_windows: Any, valid_loader: DataLoader | None, loss_fn: nn.Module
) -> tuple[dict[str, torch.Tensor], float] | None:
    """Fit the linear skip (if any) on all training windows; return the start's weights and validation loss,
    the candidate "epoch 0" of early stopping, or ``None`` without a skip or validation data."""
    if getattr(network, "skip", None) is None:
        return None
    windows, targets = (torch.stack(t) for t in zip(*train_windows, strict=True))
    network.init_linear_skip(windows, targets)
    if valid_loader is None:
        return None
    weights = {k: v.detach().clone() for k, v in network.state_dict().items()}
    return weights, evaluate(network, valid_loader, loss_fn=loss_fn)["loss"]


def _check_settings(
    valid_fraction: float, model: str, loss: str, weight_decay: float, lr_schedule: str, clip: float | None
) -> None:
    """Check the settings of :func:`train_forecaster` that are used as given (not converted)."""
    check_number("valid_fraction", valid_fraction, low=0.0, high=1.0, high_inclusive=False)
    check_choice("model", model, tuple(FORECASTER_MODELS))
    check_choice("loss", loss, tuple(LOSSES))
    check_number("weight_decay", weight_decay, low=0.0)
    check_choice("lr_schedule", lr_schedule, ("constant", "cosine"))
    if clip is not None:
        check_number("clip", clip, low=0.0, low_inclusive=False)


def _keep_the_better_start(
    network: WindowForecaster, linear_start: tuple[dict[str, torch.Tensor], float] | None, history: History
) -> bool:
    """Load the linear start's weights if no epoch had a lower validation loss; say whether it did."""
    best = history.best_epoch
    if linear_start is None or best is None or linear_start[1] > history.valid_loss[best - 1]:
        return False
    network.load_state_dict(linear_start[0])
    return True


def train_forecaster(
    series: Any,
    *,
    lookback: int,
    horizon: int,
    valid_fraction: float = 0.2,
    model: str = "sequence",
    rnn_type: str = "lstm",
    hidden_size: int = 64,
    num_layers: int = 1,
    dropout: float = 0.0,
    normalization: str = "mean",
    channel_independent: bool = False,
    segment_length: int | None = None,
    linear_skip: bool = True,
    scaling: str | Scaler = "standard",
    loss: str = "mse",
    epochs: int = 100,
    batch_size: int = 32,
    lr: float = 3e-3,
    weight_decay: float = 1e-4,
    lr_schedule: str = "cosine",
    patience: int | None = 20,
    clip: float | None = 1.0,
    stride: int = 1,
    seed: int = 0,
    device: str | torch.device | None = None,
    progress: bool | None = None,
) -> Forecaster:
    """Train a recurrent forecaster on one series without look-ahead leakage.

    Steps: split the rows chronologically (the last ``valid_fraction`` for validation); fit the scaler on
    the training rows; cut windows whose targets lie inside their own part (validation inputs may read the
    ``lookback`` training rows before the border); fit the linear skip by least squares on the training
    windows; train with :func:`rnn_guide.training.fit` (Adam, gradient clipping, early stopping on the
    validation loss with the best weights restored, the linear start included).

    Args:
        series: ``(T,)`` or ``(T, C)`` array, tensor, list or DataFrame of numbers, oldest row first.
        lookback: rows ``L`` the model reads.
        horizon: rows ``H`` it predicts per forward pass (longer forecasts are rolled out).
        valid_fraction: share of the last rows held out for early stopping, in ``[0, 1)``, raised to
            ``horizon`` rows if it is smaller (one whole validation window); ``0`` trains on every row for
            ``epochs`` epochs.
        model: ``"sequence"`` (:class:`SequenceForecaster`) or ``"segment"``
            (:class:`SegmentRecurrentForecaster`).
        rnn_type: ``"lstm"`` or ``"gru"``.
        hidden_size: recurrent state size (``d_model`` of the segment model).
        num_layers: stacked recurrent layers (sequence model only).
        dropout: dropout rate.
        normalization: per-window normalisation, see :class:`InstanceNormalization`.
        channel_independent: one shared univariate model for every channel.
        segment_length: rows per segment of the segment model (default :func:`default_segment_length`).
        linear_skip: add a linear autoregression of the window to the recurrent model's output, fitted by
            least squares on the training windows before training starts, so that the network learns
            what the linear model misses (see
            :meth:`~rnn_guide.timeseries.models.WindowForecaster.init_linear_skip`). With validation
            and early stopping, that linear start competes as "epoch 0": if no epoch has a lower
            validation loss, its weights are kept (``settings["kept_linear_start"]``).
        scaling: ``"standard"``, ``"log"`` (multiplicative, positive series), ``"none"`` or a :class:`Scaler`.
        loss: ``"mse"``, ``"mae"`` or ``"huber"``, on the scaled series.
        epochs: maximum number of epochs.
        batch_size: windows per step.
        lr: Adam's learning rate.
        weight_decay: Adam's L2 penalty on every weight but the linear skip's. Unlike ``AdamW``'s
            decoupled decay, Adam scales it with each weight's gradient statistics, so a weight the loss
            does not need moves towards zero by about ``lr`` per step: the recurrent correction stays
            near zero unless the training windows keep asking for it (``benchmarks/forecaster_defaults.py``
            measures the defaults against no decay and against no linear skip).
        lr_schedule: ``"cosine"`` (default): the learning rate follows half a cosine from ``lr``
            down to 0 over ``epochs`` epochs (calmer final weights, less spread between seeds); or ``"constant"``.
        patience: early-stopping patience in epochs (``None``: no early stopping; ignored without validation).
        clip: maximum total gradient norm (``None``: no clipping).
        stride: rows between consecutive training windows.
        seed: seeds the weights, the shuffling and dropout.
        device: ``"cpu"``, ``"cuda"``, ... (default: :func:`rnn_guide.devices.pick_device`).
        progress: show a progress bar (``None``, default: when stderr is a terminal).

    Returns:
        The trained :class:`Forecaster` (on ``device``), with its training history.

    Raises:
        ValueError: if the series is too short for ``lookback + horizon`` rows in the training part, or an
            argument is out of range (bad series: see
            :func:`~rnn_guide.timeseries.as_series_array`).
        TypeError: if an argument has the wrong type.
    """
    check_lookback_horizon(lookback, horizon)
    values, _ = as_series_array(series)
    _check_settings(valid_fraction, model, loss, weight_decay, lr_schedule, clip)
    epochs = check_int("epochs", epochs, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    lr = check_number("lr", lr, low=0.0, low_inclusive=False)
    patience = check_int("patience", patience, minimum=1, allow_none=True)
    seed = check_int("seed", seed, minimum=0)
    split = _split_rows(len(values), lookback=lookback, horizon=horizon, valid_fraction=valid_fraction)
    scaler = make_scaler(scaling).fit(values[split.train])
    parts = window_datasets(scaler.transform(values), split, lookback, horizon, stride=stride)

    seed_everything(seed)
    network = _build_model(
        model,
        n_channels=values.shape[1],
        lookback=lookback,
        horizon=horizon,
        rnn_type=rnn_type,
        hidden_size=hidden_size,
        num_layers=num_layers,
        dropout=dropout,
        normalization=normalization,
        channel_independent=channel_independent,
        segment_length=segment_length,
        linear_skip=linear_skip,
    )
    generator = torch.Generator().manual_seed(seed)
    train_loader = DataLoader(parts["train"], batch_size=batch_size, shuffle=True, generator=generator)
    valid_loader = DataLoader(parts["valid"], batch_size=256) if "valid" in parts else None
    optimizer = _adam_without_decay_on_the_skip(network, lr=lr, weight_decay=weight_decay)
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, epochs) if lr_schedule == "cosine" else None
    loss_fn = LOSSES[loss]()
    linear_start = _linear_start(network, parts["train"], valid_loader if patience is not None else None, loss_fn)
    history = fit(
        network,
        train_loader,
        epochs=epochs,
        loss_fn=loss_fn,
        optimizer=optimizer,
        scheduler=scheduler,
        valid_data=valid_loader,
        device=device,
        clip=clip,
        early_stopping=patience if valid_loader is not None else None,
        progress=progress,
    )
    kept_linear_start = _keep_the_better_start(network, linear_start, history)
    settings = {
        "lookback": lookback,
        "horizon": horizon,
        "valid_fraction": float(valid_fraction),
        "model": model,
        "linear_skip": bool(linear_skip),
        "linear_start_valid_loss": None if linear_start is None else float(linear_start[1]),
        "kept_linear_start": kept_linear_start,
        "scaling": scaler.kind,
        "loss": loss,
        "epochs": epochs,
        "batch_size": batch_size,
        "lr": lr,
        "weight_decay": float(weight_decay),
        "lr_schedule": lr_schedule,
        "patience": patience,
        "clip": None if clip is None else float(clip),
        "stride": stride,
        "seed": seed,
        "train_rows": len(split.train),
        "valid_rows": len(split.valid),
    }
    return Forecaster(network, scaler, lookback=lookback, model_name=model, settings=settings, history=history)
