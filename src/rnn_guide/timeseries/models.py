r"""Recurrent forecasters: a sequence encoder with a direct multi-step head, and a segment-wise variant.

Both models map a window of ``L`` past rows of ``C`` channels to the next ``H`` rows of the same
channels, in one forward pass (*direct multi-step* forecasting):

* :class:`SequenceForecaster` runs an ``nn.LSTM`` or ``nn.GRU`` over the ``L`` time steps and maps the
  last hidden state to all ``H * C`` outputs with one linear layer.
* :class:`SegmentRecurrentForecaster` follows SegRNN (Lin et al., 2023): it cuts the window into
  ``L / w`` segments of ``w`` rows, embeds every segment linearly, runs the recurrent layer over the
  *segments* (30 steps instead of 720), and decodes all ``ceil(H / w)`` output segments in parallel from
  the final state, each one told which segment (and channel) it is by learned position (and channel)
  embeddings. Fewer recurrent steps is what lets an RNN compete on long horizons.

:meth:`forecast` rolls either model out for *any* number of steps: it predicts ``H`` rows, appends them
to the window, drops the oldest rows and repeats -- the "future" idea, done right.

Both models normalise each window on its own (RevIN-style, :class:`InstanceNormalization`) and can treat
channels independently (one shared univariate model applied to every channel).

The high-level API, :func:`~rnn_guide.forecaster.train_forecaster` and
:class:`~rnn_guide.forecaster.Forecaster`, lives in :mod:`rnn_guide.forecaster`, which also re-exports
these models.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar

import torch
from torch import nn

from rnn_guide._validation import check_choice, check_int, check_number, check_tensor

__all__ = [
    "FORECASTER_MODELS",
    "InstanceNormalization",
    "SegmentRecurrentForecaster",
    "SequenceForecaster",
    "WindowForecaster",
    "build_forecaster_model",
]

_RNN_TYPES: dict[str, type[nn.Module]] = {"lstm": nn.LSTM, "gru": nn.GRU}


class InstanceNormalization(nn.Module):
    r"""Normalise each input window by its own statistics and undo it on the forecast (RevIN without affine).

    Modes:

    * ``"none"``: identity.
    * ``"last"``: subtract the last observed value of each channel, :math:`x - x_L` (SegRNN, NLinear).
      The model then forecasts changes from "now", which removes level shifts between training and test.
    * ``"mean"``: subtract the window mean of each channel.
    * ``"standard"``: subtract the window mean and divide by the window standard deviation (+ ``eps``).

    Shape:
        - ``normalize`` input: :math:`(N, L, C)`; returns the normalised window and the statistics.
        - ``denormalize`` input: :math:`(N, H, C)` and the statistics of the same windows.
    """

    MODES: ClassVar[tuple[str, ...]] = ("none", "last", "mean", "standard")

    def __init__(self, mode: str = "last", eps: float = 1e-5) -> None:
        super().__init__()
        check_choice("normalization", mode, self.MODES)
        self.mode = mode
        self.eps = check_number("eps", eps, low=0.0, low_inclusive=False)

    def normalize(self, x: torch.Tensor) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
        """Return ``(x - shift) / scale`` and ``(shift, scale)``, each statistic of shape ``(N, 1, C)``."""
        one = torch.ones_like(x[:, -1:, :])
        if self.mode == "none":
            shift = torch.zeros_like(one)
        elif self.mode == "last":
            shift = x[:, -1:, :].detach()
        else:
            shift = x.mean(dim=1, keepdim=True).detach()
        scale = (
            (x.var(dim=1, keepdim=True, unbiased=False) + self.eps).sqrt().detach() if self.mode == "standard" else one
        )
        return (x - shift) / scale, (shift, scale)

    def denormalize(self, y: torch.Tensor, stats: tuple[torch.Tensor, torch.Tensor]) -> torch.Tensor:
        """Undo :meth:`normalize` on a forecast ``y`` of shape ``(N, H, C)``."""
        shift, scale = stats
        return y * scale + shift

    def extra_repr(self) -> str:
        return f"mode={self.mode!r}"


class WindowForecaster(nn.Module):
    """Base class of the forecasting models: input checks, ``config`` for saving, autoregressive roll-out.

    Subclasses set ``input_size``, ``horizon`` and ``config`` (their constructor arguments) and implement
    ``forward`` from windows :math:`(N, L, C)` to forecasts :math:`(N, H, C)`. Those with a linear skip also
    set ``skip`` (an ``nn.Linear(L, H)`` or ``None``) and ``lookback``, add it with :meth:`_add_skip` and name
    their last recurrent-path layer in :meth:`_output_layer`, so that :meth:`init_linear_skip` works.
    """

    input_size: int
    horizon: int
    config: dict[str, Any]
    skip: nn.Linear | None

    def _check_input(self, x: Any, lookback: int | None = None) -> None:
        check_tensor("x", x, ndim=3)
        if x.shape[2] != self.input_size:
            raise ValueError(
                f"x must have input_size={self.input_size} channels in its last dimension (N, L, C), "
                f"got shape {tuple(x.shape)}"
            )
        if x.shape[1] < 1 or x.shape[0] < 1:
            raise ValueError(f"x must hold at least one window of one time step, got shape {tuple(x.shape)}")
        if lookback is not None and x.shape[1] != lookback:
            raise ValueError(f"x must hold lookback={lookback} time steps (N, L, C), got shape {tuple(x.shape)}")

    def forecast(self, x: torch.Tensor, steps: int) -> torch.Tensor:
        r"""Forecast ``steps`` rows after each window, for any ``steps``.

        Up to ``horizon`` rows come from one forward pass. Beyond that the forecast is rolled out: the
        ``horizon`` predicted rows are appended to the window, the oldest rows dropped so the window keeps
        its length ``L``, and the model is run again -- so every pass sees a window of the length it was
        trained on. (With ``horizon=1`` this is the classic one-step-ahead recursion.)

        Args:
            x: windows of shape :math:`(N, L, C)`.
            steps: number of future rows.

        Returns:
            A tensor of shape :math:`(N, steps, C)`.
        """
        steps = check_int("steps", steps, minimum=1)
        window = x
        blocks: list[torch.Tensor] = []
        produced = 0
        while produced < steps:
            block = self(window)
            blocks.append(block)
            produced += block.shape[1]
            if produced < steps:
                window = torch.cat([window, block], dim=1)[:, -x.shape[1] :]
        return torch.cat(blocks, dim=1)[:, :steps]

    def _output_layer(self) -> nn.Linear:
        """The last linear layer of the recurrent path (zeroed by :meth:`init_linear_skip`)."""
        raise NotImplementedError

    def _add_skip(self, y: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        """``y + A z + a`` per channel: forecast :math:`(N, H, C)`, normalised window :math:`(N, L, C)`."""
        if self.skip is None:
            return y
        return y + self.skip(z.transpose(1, 2)).transpose(1, 2)  # (N, C, L) -> (N, C, H) -> (N, H, C)

    @torch.no_grad()
    def init_linear_skip(self, x: torch.Tensor, y: torch.Tensor, *, ridge: float = 1e-3) -> None:
        r"""Fit the linear skip by ridge least squares on windows ``x`` and targets ``y``; zero the output layer.

        Each channel of each window is one sample: the normalised window (as :meth:`forward` sees it)
        against the target normalised with the window's statistics. Afterwards the model's output is the
        linear forecast alone, :math:`A\, x + a`, until training moves the output layer away from zero.

        Args:
            x: training windows :math:`(N, L, C)`.
            y: their targets :math:`(N, H, C)`.
            ridge: L2 penalty on :math:`A` (not on :math:`a`), relative to the mean squared input.

        Raises:
            RuntimeError: if the model was built without ``linear_skip``.
            ValueError: if the shapes do not match the model.
        """
        if self.skip is None:
            raise RuntimeError("init_linear_skip needs a model built with linear_skip=True")
        self._check_input(x, self.lookback)
        check_tensor("y", y, ndim=3)
        if y.shape != (x.shape[0], self.horizon, self.input_size):
            raise ValueError(
                f"y must have shape (N, H, C) = {(x.shape[0], self.horizon, self.input_size)}, got {tuple(y.shape)}"
            )
        check_number("ridge", ridge, low=0.0)
        z, (shift, scale) = self.norm.normalize(x.double())
        target = (y.double() - shift) / scale
        inputs = z.transpose(1, 2).reshape(-1, x.shape[1])  # (N*C, L)
        outputs = target.transpose(1, 2).reshape(-1, self.horizon)  # (N*C, H)
        design = torch.cat([inputs, torch.ones_like(inputs[:, :1])], dim=1)
        gram = design.T @ design
        penalty = ridge * inputs.pow(2).mean() * len(inputs)
        gram[:-1, :-1] += penalty * torch.eye(x.shape[1], dtype=gram.dtype)
        # an SVD solve that drops null directions: with "mean" normalisation the window's values sum to 0
        solution = torch.linalg.lstsq(gram, design.T @ outputs, rcond=1e-12, driver="gelsd").solution  # (L + 1, H)
        self.skip.weight.copy_(solution[:-1].T.to(self.skip.weight.dtype))
        self.skip.bias.copy_(solution[-1].to(self.skip.bias.dtype))
        output = self._output_layer()
        output.weight.zero_()
        output.bias.zero_()


def _check_rnn_type(rnn_type: str) -> type[nn.Module]:
    check_choice("rnn_type", rnn_type, tuple(_RNN_TYPES))
    return _RNN_TYPES[rnn_type]


class SequenceForecaster(WindowForecaster):
    r"""An LSTM or GRU encoder with a direct multi-step linear head.

    .. math::

        h_L = \text{RNN}(x_1, \dots, x_L), \qquad
        \hat y_{L+1:L+H} = W h_L + b \in \mathbb{R}^{H \times C}

    (after :class:`InstanceNormalization` of the window, undone on the output).

    With ``linear_skip=True`` a linear map of the (normalised) window is added to the head's output,
    the same map for every channel, and the recurrent part learns what the linear autoregression misses:

    .. math::

        \hat y_{L+1:L+H, c} = A\, x_{1:L, c} + a + W h_L + b

    :meth:`init_linear_skip` sets :math:`A, a` to the least-squares fit on training windows and zeroes the
    head, so training starts from the linear forecast (residual learning on top of a linear model).

    Args:
        input_size: number of channels ``C`` (input and output).
        horizon: number of rows ``H`` predicted per forward pass.
        hidden_size: size ``H_out`` of the recurrent state.
        num_layers: number of stacked recurrent layers.
        rnn_type: ``"lstm"`` or ``"gru"``.
        dropout: dropout between stacked layers and before the head.
        normalization: a mode of :class:`InstanceNormalization`: ``"none"``, ``"last"``, ``"mean"`` or
            ``"standard"``.
        channel_independent: run one univariate encoder over every channel separately (weights shared),
            instead of one encoder over all ``C`` channels at once.
        linear_skip: add the linear map of the window described above.
        lookback: window length ``L``; required with ``linear_skip`` (the map reads exactly ``L`` rows).

    Shape:
        - Input: :math:`(N, L, C)` for any ``L >= 1`` (``L = lookback`` with ``linear_skip``).
        - Output: :math:`(N, H, C)`.
    """

    def __init__(
        self,
        input_size: int,
        horizon: int,
        *,
        hidden_size: int = 64,
        num_layers: int = 1,
        rnn_type: str = "lstm",
        dropout: float = 0.0,
        normalization: str = "last",
        channel_independent: bool = False,
        linear_skip: bool = False,
        lookback: int | None = None,
    ) -> None:
        super().__init__()
        input_size = check_int("input_size", input_size, minimum=1)
        horizon = check_int("horizon", horizon, minimum=1)
        if not isinstance(linear_skip, bool):
            raise TypeError(f"linear_skip must be True or False, got {linear_skip!r}")
        lookback = check_int("lookback", lookback, minimum=1, allow_none=True)
        if linear_skip and lookback is None:
            raise ValueError("linear_skip=True needs lookback, the window length the linear map reads")
        hidden_size = check_int("hidden_size", hidden_size, minimum=1)
        num_layers = check_int("num_layers", num_layers, minimum=1)
        rnn_class = _check_rnn_type(rnn_type)
        check_number("dropout", dropout, low=0.0, high=1.0, high_inclusive=False)
        self.config = {
            "input_size": input_size,
            "horizon": horizon,
            "hidden_size": hidden_size,
            "num_layers": num_layers,
            "rnn_type": rnn_type,
            "dropout": float(dropout),
            "normalization": normalization,
            "channel_independent": bool(channel_independent),
        }
        if linear_skip:
            self.config.update(linear_skip=True, lookback=lookback)
        self.input_size = input_size
        self.horizon = horizon
        self.lookback = lookback
        self.channel_independent = bool(channel_independent)
        channels = 1 if self.channel_independent else input_size
        self.norm = InstanceNormalization(normalization)
        self.encoder = rnn_class(
            channels,
            hidden_size,
            num_layers=num_layers,
            batch_first=True,
            dropout=dropout if num_layers > 1 else 0.0,
        )
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(hidden_size, horizon * channels)
        self.skip = nn.Linear(lookback, horizon) if linear_skip and lookback is not None else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Forecast the next ``horizon`` rows: :math:`(N, L, C) \\to (N, H, C)`."""
        self._check_input(x, self.lookback if self.skip is not None else None)
        n, length, c = x.shape
        z, stats = self.norm.normalize(x)
        sequences = z.permute(0, 2, 1).reshape(n * c, length, 1) if self.channel_independent else z
        out, _ = self.encoder(sequences)
        y = self.head(self.dropout(out[:, -1]))
        y = y.view(n, c, self.horizon).permute(0, 2, 1) if self.channel_independent else y.view(n, self.horizon, c)
        return self.norm.denormalize(self._add_skip(y, z), stats)

    def _output_layer(self) -> nn.Linear:
        return self.head


class SegmentRecurrentForecaster(WindowForecaster):
    r"""Segment-wise recurrence with parallel multi-step decoding (the SegRNN idea, Lin et al. 2023).

    Encoding: the window of ``L`` rows is cut into :math:`n = L / w` segments of ``w`` rows; each segment
    is embedded, :math:`e_i = \text{ReLU}(W_e s_i + b_e) \in \mathbb{R}^{d}`, and the recurrent layer runs
    over :math:`e_1, \dots, e_n` to the final state :math:`h_n`.

    Decoding: the ``m = ceil(H / w)`` output segments are produced in parallel. Output segment ``j`` takes
    one recurrent step from :math:`h_n` with input :math:`[p_j; q_c]` (a learned position embedding and,
    with ``channel_embedding``, a learned channel embedding, each of size ``d/2``), and a linear layer maps
    the new state to ``w`` values. No forecast is fed back, so errors do not accumulate within the horizon.

    Args:
        input_size: number of channels ``C`` (input and output).
        lookback: window length ``L``; must be a multiple of ``segment_length``.
        horizon: rows ``H`` predicted per forward pass (the last output segment is cut if ``w`` does not
            divide ``H``).
        segment_length: rows per segment ``w``.
        d_model: embedding and recurrent state size ``d``.
        rnn_type: ``"gru"`` or ``"lstm"``.
        dropout: dropout before the output layer.
        normalization: a mode of :class:`InstanceNormalization`.
        channel_independent: model each channel as its own univariate series with shared weights
            (SegRNN's default); otherwise a segment holds all ``C`` channels, ``w * C`` values.
        channel_embedding: add a channel embedding to the decoder input (channel-independent mode only).
        linear_skip: add a linear map of the normalised window, shared by the channels, to the output
            (as in :class:`SequenceForecaster`; :meth:`init_linear_skip` fits it by least squares).

    Shape:
        - Input: :math:`(N, L, C)` with ``L = lookback``.
        - Output: :math:`(N, H, C)`.
    """

    def __init__(
        self,
        input_size: int,
        lookback: int,
        horizon: int,
        *,
        segment_length: int = 48,
        d_model: int = 512,
        rnn_type: str = "gru",
        dropout: float = 0.5,
        normalization: str = "last",
        channel_independent: bool = True,
        channel_embedding: bool = True,
        linear_skip: bool = False,
    ) -> None:
        super().__init__()
        if not isinstance(linear_skip, bool):
            raise TypeError(f"linear_skip must be True or False, got {linear_skip!r}")
        input_size = check_int("input_size", input_size, minimum=1)
        lookback = check_int("lookback", lookback, minimum=1)
        horizon = check_int("horizon", horizon, minimum=1)
        segment_length = check_int("segment_length", segment_length, minimum=1)
        d_model = check_int("d_model", d_model, minimum=2)
        rnn_class = _check_rnn_type(rnn_type)
        check_number("dropout", dropout, low=0.0, high=1.0, high_inclusive=False)
        if lookback % segment_length:
            raise ValueError(f"lookback must be a multiple of segment_length={segment_length}, got lookback={lookback}")
        use_channel_embedding = bool(channel_embedding) and bool(channel_independent)
        if use_channel_embedding and d_model % 2:
            raise ValueError(f"d_model must be even when channel_embedding is used, got {d_model}")
        self.config = {
            "input_size": input_size,
            "lookback": lookback,
            "horizon": horizon,
            "segment_length": segment_length,
            "d_model": d_model,
            "rnn_type": rnn_type,
            "dropout": float(dropout),
            "normalization": normalization,
            "channel_independent": bool(channel_independent),
            "channel_embedding": bool(channel_embedding),
        }
        if linear_skip:
            self.config["linear_skip"] = True
        self.input_size, self.lookback, self.horizon = input_size, lookback, horizon
        self.segment_length, self.d_model = segment_length, d_model
        self.channel_independent = bool(channel_independent)
        self.segments_in = lookback // segment_length
        self.segments_out = math.ceil(horizon / segment_length)
        values_per_segment = segment_length * (1 if self.channel_independent else input_size)
        self.norm = InstanceNormalization(normalization)
        self.embed = nn.Sequential(nn.Linear(values_per_segment, d_model), nn.ReLU())
        self.rnn = rnn_class(d_model, d_model, batch_first=True)
        if use_channel_embedding:
            self.position_embedding = nn.Parameter(torch.randn(self.segments_out, d_model // 2))
            self.channel_embedding = nn.Parameter(torch.randn(input_size, d_model // 2))
        else:
            self.position_embedding = nn.Parameter(torch.randn(self.segments_out, d_model))
            self.register_parameter("channel_embedding", None)
        self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(d_model, values_per_segment))
        self.skip = nn.Linear(lookback, horizon) if linear_skip else None

    def _decoder_inputs(self, batch: int) -> torch.Tensor:
        """Position (and channel) embeddings, one row per (batch item, channel, output segment)."""
        m = self.segments_out
        if self.channel_embedding is not None:
            c = self.input_size
            grid = torch.cat(
                [
                    self.position_embedding.unsqueeze(0).expand(c, m, -1),
                    self.channel_embedding.unsqueeze(1).expand(c, m, -1),
                ],
                dim=-1,
            ).reshape(c * m, self.d_model)
            return grid.repeat(batch, 1).unsqueeze(1)
        sequences = batch * (self.input_size if self.channel_independent else 1)
        return self.position_embedding.repeat(sequences, 1).unsqueeze(1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Forecast the next ``horizon`` rows: :math:`(N, L, C) \\to (N, H, C)`."""
        self._check_input(x, self.lookback)
        n, _, c = x.shape
        w, m = self.segment_length, self.segments_out
        z, stats = self.norm.normalize(x)
        if self.channel_independent:
            segments = z.permute(0, 2, 1).reshape(n * c, self.segments_in, w)  # (N*C, n_in, w)
        else:
            segments = z.reshape(n, self.segments_in, w * c)  # (N, n_in, w*C)
        _, state = self.rnn(self.embed(segments))
        # one decoder step per output segment, all in parallel: repeat the state m times
        if isinstance(state, tuple):
            state = tuple(s.repeat_interleave(m, dim=1) for s in state)
        else:
            state = state.repeat_interleave(m, dim=1)
        _, decoded = self.rnn(self._decoder_inputs(n), state)
        hidden = decoded[0] if isinstance(decoded, tuple) else decoded  # (1, sequences*m, d)
        values = self.head(hidden[0])  # (sequences*m, w) or (N*m, w*C)
        if self.channel_independent:
            y = values.view(n, c, m * w)[:, :, : self.horizon].permute(0, 2, 1)
        else:
            y = values.view(n, m * w, c)[:, : self.horizon]
        return self.norm.denormalize(self._add_skip(y, z), stats)

    def _output_layer(self) -> nn.Linear:
        return self.head[1]


FORECASTER_MODELS: dict[str, type[WindowForecaster]] = {
    "sequence": SequenceForecaster,
    "segment": SegmentRecurrentForecaster,
}
"""Model names accepted by :func:`build_forecaster_model` and ``train_forecaster(model=...)``."""


def build_forecaster_model(name: str, config: dict[str, Any]) -> WindowForecaster:
    """Build a model from its name in :data:`FORECASTER_MODELS` and its ``config`` (constructor arguments)."""
    check_choice("model", name, tuple(FORECASTER_MODELS))
    if not isinstance(config, dict):
        raise TypeError(f"config must be a dict of constructor arguments, got {type(config).__name__}")
    return FORECASTER_MODELS[name](**config)
