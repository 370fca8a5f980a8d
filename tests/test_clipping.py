"""Tests for rnn_guide.clipping: formulas against hand computation and NumPy, and the physics of BPTT."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn

from rnn_guide.clipping import (
    AutoClip,
    ClipResult,
    GradNormTracker,
    NonFiniteGradientError,
    adaptive_clip_grad,
    clip_grad_norm,
    gradient_norms_through_time,
)

torch.set_num_threads(1)


def make_params(grads: list[np.ndarray], weights: list[np.ndarray] | None = None) -> list[nn.Parameter]:
    """Parameters (float64) whose .grad are the given arrays."""
    weights = weights if weights is not None else [np.zeros_like(g) for g in grads]
    params = []
    for w, g in zip(weights, grads, strict=True):
        p = nn.Parameter(torch.tensor(w, dtype=torch.float64))
        p.grad = torch.tensor(g, dtype=torch.float64)
        params.append(p)
    return params


def numpy_total_norm(grads: list[np.ndarray], norm_type: float) -> float:
    flat = np.concatenate([g.ravel() for g in grads])
    if math.isinf(norm_type):
        return float(np.abs(flat).max())
    return float(np.sum(np.abs(flat) ** norm_type) ** (1.0 / norm_type))


def grads_of(params: list[torch.Tensor]) -> list[np.ndarray]:
    return [p.grad.detach().numpy().copy() for p in params]


# ----------------------------------------------------------------------------------------------------
# clip_grad_norm
# ----------------------------------------------------------------------------------------------------


def test_clip_grad_norm_hand_computed_example() -> None:
    # ||(3, 4, 12)|| = 13; clip to 6.5 scales by 6.5 / (13 + 1e-6), as torch does.
    params = make_params([np.array([3.0, 4.0]), np.array([[12.0]])])
    result = clip_grad_norm(params, 6.5)
    assert isinstance(result, ClipResult)
    assert result.total_norm == pytest.approx(13.0, rel=1e-12)
    assert result.clipped is True
    assert result.skipped is False
    scale = 6.5 / (13.0 + 1e-6)
    np.testing.assert_allclose(params[0].grad.numpy(), [3.0 * scale, 4.0 * scale], rtol=1e-12)
    np.testing.assert_allclose(params[1].grad.numpy(), [[12.0 * scale]], rtol=1e-12)
    assert numpy_total_norm(grads_of(params), 2.0) == pytest.approx(6.5, rel=1e-6)


def test_clip_grad_norm_below_threshold_leaves_gradients_unchanged() -> None:
    params = make_params([np.array([3.0, 4.0])])
    result = clip_grad_norm(params, 5.5)
    assert result == ClipResult(total_norm=pytest.approx(5.0), clipped=False, skipped=False)
    np.testing.assert_array_equal(params[0].grad.numpy(), [3.0, 4.0])


@pytest.mark.parametrize("norm_type", [1.0, 2.0, 3.0, math.inf])
def test_clip_grad_norm_matches_numpy_for_random_gradients(norm_type: float) -> None:
    rng = np.random.default_rng(7)
    grads = [rng.normal(size=shape) for shape in [(4, 3), (4,), (2, 3, 5), ()]]
    norm = numpy_total_norm(grads, norm_type)
    for max_norm in (0.5 * norm, 2.0 * norm):
        params = make_params([g.copy() for g in grads])
        result = clip_grad_norm(params, max_norm, norm_type=norm_type)
        assert result.total_norm == pytest.approx(norm, rel=1e-10)
        scale = min(1.0, max_norm / (norm + 1e-6))
        assert result.clipped is (scale < 1.0)
        for got, want in zip(grads_of(params), grads, strict=True):
            np.testing.assert_allclose(got, want * scale, rtol=1e-10)


def test_clip_grad_norm_accepts_every_parameter_form() -> None:
    torch.manual_seed(0)
    model = nn.GRU(3, 4)
    model(torch.randn(5, 2, 3))[0].pow(2).sum().backward()
    reference = {name: p.grad.clone() for name, p in model.named_parameters()}
    expected = clip_grad_norm(list(model.parameters()), 1e9).total_norm

    def restore() -> None:
        for name, p in model.named_parameters():
            p.grad = reference[name].clone()

    forms = [
        lambda: model,
        lambda: model.parameters(),  # a generator, consumed once
        lambda: model.named_parameters(),
        lambda: dict(model.named_parameters()),
    ]
    for form in forms:
        restore()
        assert clip_grad_norm(form(), 1e9).total_norm == pytest.approx(expected, rel=1e-6)
    # A single tensor, like torch.nn.utils.clip_grad_norm_.
    single = model.weight_hh_l0
    restore()
    result = clip_grad_norm(single, 1e-3)
    assert result.total_norm == pytest.approx(float(reference["weight_hh_l0"].norm()), rel=1e-6)
    assert float(single.grad.norm()) == pytest.approx(1e-3, rel=1e-3)


def test_clip_grad_norm_ignores_missing_gradients() -> None:
    with_grad, without_grad = make_params([np.array([6.0, 8.0])])[0], nn.Parameter(torch.ones(3))
    assert clip_grad_norm([with_grad, without_grad], 1.0).total_norm == pytest.approx(10.0)
    assert without_grad.grad is None
    assert clip_grad_norm([without_grad], 1.0) == ClipResult(0.0, False, False)
    assert clip_grad_norm([], 1.0) == ClipResult(0.0, False, False)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_clip_grad_norm_raise_names_the_parameter_and_leaves_gradients(bad: float) -> None:
    model = nn.Linear(3, 2)
    model.weight.grad = torch.ones(2, 3)
    model.bias.grad = torch.tensor([1.0, bad])
    before = [p.grad.clone() for p in model.parameters()]
    with pytest.raises(NonFiniteGradientError, match=r"bias \(") as info:
        clip_grad_norm(model, 1.0)
    assert isinstance(info.value, FloatingPointError)
    assert info.value.names == ["bias"]
    assert "weight" not in str(info.value).replace("bias", "")
    assert not math.isfinite(info.value.total_norm)
    for p, b in zip(model.parameters(), before, strict=True):
        torch.testing.assert_close(p.grad, b, equal_nan=True, rtol=0, atol=0)


def test_clip_grad_norm_raise_names_unnamed_tensors_by_position_and_counts() -> None:
    params = make_params([np.ones(3), np.array([np.nan, np.inf, np.nan, 1.0])])
    with pytest.raises(NonFiniteGradientError, match=r"parameters\[1\] \(2 nan, 1 inf of 4 values\)"):
        clip_grad_norm(params, 1.0)


def test_clip_grad_norm_raise_on_overflowing_total_norm() -> None:
    p = nn.Parameter(torch.zeros(4))
    p.grad = torch.full((4,), 1e30)  # every element finite, but the float32 norm overflows
    with pytest.raises(NonFiniteGradientError, match="overflowed") as info:
        clip_grad_norm([p], 1.0)
    assert info.value.names == []
    assert torch.equal(p.grad, torch.full((4,), 1e30))


def test_clip_grad_norm_skip_zeroes_gradients_so_sgd_changes_nothing() -> None:
    torch.manual_seed(0)
    model = nn.RNN(3, 4)
    model(torch.randn(6, 2, 3))[0].sum().backward()
    model.weight_hh_l0.grad[1, 2] = math.nan
    weights = {name: p.detach().clone() for name, p in model.named_parameters()}
    result = clip_grad_norm(model, 1.0, nonfinite="skip")
    assert result.skipped is True
    assert result.clipped is False
    assert math.isnan(result.total_norm)
    for p in model.parameters():
        assert torch.count_nonzero(p.grad) == 0
    torch.optim.SGD(model.parameters(), lr=0.1).step()
    for name, p in model.named_parameters():
        assert torch.equal(p.detach(), weights[name])


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"max_norm": 0.0}, ValueError, "max_norm"),
        ({"max_norm": -1.0}, ValueError, "max_norm"),
        ({"max_norm": math.nan}, ValueError, "max_norm"),
        ({"max_norm": "1"}, TypeError, "max_norm"),
        ({"max_norm": 1.0, "nonfinite": "ignore"}, ValueError, "nonfinite"),
        ({"max_norm": 1.0, "norm_type": 0.5}, ValueError, "norm_type"),
        ({"max_norm": 1.0, "norm_type": "fro"}, TypeError, "norm_type"),
    ],
)
def test_clip_grad_norm_validation(kwargs: dict, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        clip_grad_norm(make_params([np.ones(2)]), **kwargs)


@pytest.mark.parametrize("parameters", ["weights", 3.0, [torch.ones(2), "x"], [("w",)]])
def test_parameters_of_the_wrong_type_are_rejected(parameters: object) -> None:
    with pytest.raises(TypeError, match="parameters"):
        clip_grad_norm(parameters, 1.0)


# ----------------------------------------------------------------------------------------------------
# GradNormTracker
# ----------------------------------------------------------------------------------------------------


def test_grad_norm_tracker_records_total_and_per_parameter_norms() -> None:
    torch.manual_seed(0)
    model = nn.LSTM(3, 5)
    tracker = GradNormTracker(per_parameter=True)
    expected_totals, expected_weight_hh = [], []
    for _ in range(4):
        model.zero_grad()
        model(torch.randn(7, 2, 3))[0].pow(2).sum().backward()
        grads = {name: p.grad.double().numpy() for name, p in model.named_parameters()}
        expected_totals.append(numpy_total_norm(list(grads.values()), 2.0))
        expected_weight_hh.append(float(np.linalg.norm(grads["weight_hh_l0"])))
        assert tracker.record(model) == pytest.approx(expected_totals[-1], rel=1e-5)
    assert len(tracker) == 4
    np.testing.assert_allclose(tracker.history, expected_totals, rtol=1e-5)
    assert set(tracker.per_parameter_history) == {name for name, _ in model.named_parameters()}
    np.testing.assert_allclose(tracker.per_parameter_history["weight_hh_l0"], expected_weight_hh, rtol=1e-5)
    # Per-parameter norms combine to the total.
    per_step = np.array(list(tracker.per_parameter_history.values()))
    np.testing.assert_allclose(np.sqrt((per_step**2).sum(axis=0)), expected_totals, rtol=1e-5)


def test_grad_norm_tracker_statistics_match_numpy() -> None:
    rng = np.random.default_rng(3)
    norms = rng.lognormal(size=37)
    p = nn.Parameter(torch.zeros(1, dtype=torch.float64))
    tracker = GradNormTracker()
    for n in norms:
        p.grad = torch.tensor([-n], dtype=torch.float64)
        tracker.record([p])
    np.testing.assert_allclose(tracker.history, norms, rtol=1e-12)
    for q in (0.0, 10.0, 37.5, 50.0, 90.0, 100.0):
        assert tracker.percentile(q) == pytest.approx(np.percentile(norms, q), rel=1e-12)
    summary = tracker.summary()
    assert summary["min"] == pytest.approx(norms.min())
    assert summary["median"] == pytest.approx(np.median(norms))
    assert summary["p90"] == pytest.approx(np.percentile(norms, 90))
    assert summary["max"] == pytest.approx(norms.max())
    assert summary["steps"] == 37
    assert summary["nonfinite_steps"] == 0
    assert tracker.suggest_max_norm(percentile=75) == pytest.approx(np.percentile(norms, 75))
    assert tracker.suggest_max_norm() == pytest.approx(np.percentile(norms, 90))
    tracker.reset()
    assert len(tracker) == 0
    assert tracker.history == []
    with pytest.raises(RuntimeError, match="record"):
        tracker.summary()


def test_grad_norm_tracker_keeps_nonfinite_steps_out_of_statistics() -> None:
    p = nn.Parameter(torch.zeros(2))
    tracker = GradNormTracker()
    for grad in ([3.0, 4.0], [math.nan, 1.0], [6.0, 8.0], [math.inf, 0.0]):
        p.grad = torch.tensor(grad)
        tracker.record(p)
    assert tracker.history[0] == pytest.approx(5.0)
    assert math.isnan(tracker.history[1])
    assert math.isinf(tracker.history[3])
    assert tracker.summary()["max"] == pytest.approx(10.0)
    assert tracker.summary()["nonfinite_steps"] == 2
    assert tracker.percentile(50) == pytest.approx(7.5)


def test_grad_norm_tracker_per_parameter_lists_stay_aligned() -> None:
    a, b = nn.Parameter(torch.zeros(2)), nn.Parameter(torch.zeros(2))
    tracker = GradNormTracker(per_parameter=True)
    a.grad = torch.tensor([3.0, 4.0])
    tracker.record([("a", a), ("b", b)])  # b has no gradient yet
    b.grad = torch.tensor([0.0, 2.0])
    tracker.record([("a", a), ("b", b)])
    assert tracker.per_parameter_history["a"] == pytest.approx([5.0, 5.0])
    assert math.isnan(tracker.per_parameter_history["b"][0])
    assert tracker.per_parameter_history["b"][1] == pytest.approx(2.0)
    unnamed = GradNormTracker(per_parameter=True)
    unnamed.record([a, b])
    assert list(unnamed.per_parameter_history) == ["parameters[0]", "parameters[1]"]
    plain = GradNormTracker()
    plain.record([a, b])
    assert plain.per_parameter_history == {}


def test_grad_norm_tracker_validation() -> None:
    with pytest.raises(TypeError, match="per_parameter"):
        GradNormTracker(per_parameter="yes")
    with pytest.raises(ValueError, match="norm_type"):
        GradNormTracker(norm_type=0)
    tracker = GradNormTracker()
    with pytest.raises(RuntimeError, match="record"):
        tracker.percentile(50)
    p = nn.Parameter(torch.zeros(1))
    p.grad = torch.ones(1)
    tracker.record(p)
    with pytest.raises(ValueError, match="q must lie in"):
        tracker.percentile(101)
    with pytest.raises(ValueError, match="percentile"):
        tracker.suggest_max_norm(percentile=-1)


# ----------------------------------------------------------------------------------------------------
# AutoClip
# ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("percentile", [10.0, 50.0, 97.5])
def test_autoclip_clips_to_running_percentile(percentile: float) -> None:
    rng = np.random.default_rng(11)
    params = make_params([np.zeros((3, 2)), np.zeros(4)])
    autoclip = AutoClip(percentile=percentile)
    seen = []
    for step in range(40):
        scale = rng.lognormal(sigma=1.5)
        raw = [rng.normal(size=(3, 2)) * scale, rng.normal(size=4) * scale]
        for p, g in zip(params, raw, strict=True):
            p.grad = torch.tensor(g)
        norm = numpy_total_norm(raw, 2.0)
        seen.append(norm)
        returned = autoclip(params)
        assert returned == pytest.approx(norm, rel=1e-12)
        np.testing.assert_allclose(autoclip.history, seen, rtol=1e-12)
        threshold = np.percentile(seen, percentile)
        coef = min(1.0, threshold / (norm + 1e-6))
        for got, want in zip(grads_of(params), raw, strict=True):
            np.testing.assert_allclose(got, want * coef, rtol=1e-10)
        if step == 0:
            assert coef == pytest.approx(1.0, abs=1e-6)  # the first norm is its own percentile
    assert len(autoclip) == 40
    autoclip.reset()
    assert autoclip.history == []


@pytest.mark.parametrize("percentile", [-0.1, 100.5, math.nan])
def test_autoclip_rejects_percentile_outside_range(percentile: float) -> None:
    with pytest.raises(ValueError, match="percentile"):
        AutoClip(percentile=percentile)


def test_autoclip_nonfinite_norm_is_not_added_to_history() -> None:
    p = nn.Parameter(torch.zeros(2))
    autoclip = AutoClip(percentile=10.0)
    p.grad = torch.tensor([3.0, 4.0])
    autoclip(p)
    p.grad = torch.tensor([math.nan, 4.0])
    with pytest.raises(NonFiniteGradientError, match=r"parameters\[0\]"):
        autoclip(p)
    assert autoclip.history == pytest.approx([5.0])
    assert math.isnan(float(p.grad[0]))  # untouched
    skipping = AutoClip(nonfinite="skip")
    assert math.isnan(skipping([p]))
    assert skipping.history == []
    assert torch.equal(p.grad, torch.zeros(2))
    with pytest.raises(ValueError, match="nonfinite"):
        AutoClip(nonfinite="zero")


# ----------------------------------------------------------------------------------------------------
# Adaptive gradient clipping
# ----------------------------------------------------------------------------------------------------


def numpy_agc(weight: np.ndarray, grad: np.ndarray, clipping: float, eps: float) -> np.ndarray:
    """AGC written directly: one unit per row (over all other axes), or the whole 0-D/1-D tensor."""
    if weight.ndim <= 1:
        w_units, g_units = weight.reshape(1, -1), grad.reshape(1, -1)
    else:
        w_units, g_units = weight.reshape(weight.shape[0], -1), grad.reshape(grad.shape[0], -1)
    out = g_units.copy()
    for i in range(w_units.shape[0]):
        limit = clipping * max(np.linalg.norm(w_units[i]), eps)
        g_norm = np.linalg.norm(g_units[i])
        if g_norm > limit:
            out[i] = g_units[i] * limit / g_norm
    return out.reshape(grad.shape)


@pytest.mark.parametrize(("clipping", "eps"), [(0.01, 1e-3), (0.1, 1e-3), (0.5, 0.2)])
def test_adaptive_clip_grad_matches_numpy(clipping: float, eps: float) -> None:
    rng = np.random.default_rng(5)
    shapes = [(), (6,), (5, 4), (3, 2, 4)]
    weights = [rng.normal(size=s) for s in shapes]
    weights[2][1] = 0.0  # a unit with zero weights: eps decides its limit
    # Per-unit scales of 0.001 or 1: some units are clipped, some are not.
    unit_scales = [rng.choice([0.001, 1.0], size=s[:1] + (1,) * (len(s) - 1)) for s in shapes]
    grads = [rng.normal(size=s) * scale for s, scale in zip(shapes, unit_scales, strict=True)]
    params = make_params([g.copy() for g in grads], weights)
    adaptive_clip_grad(params, clipping=clipping, eps=eps)
    n_clipped = 0
    for p, w, g in zip(params, weights, grads, strict=True):
        expected = numpy_agc(w, g, clipping, eps)
        np.testing.assert_allclose(p.grad.numpy(), expected, rtol=1e-12, atol=1e-15)
        n_clipped += int(not np.allclose(expected, g))
        torch.testing.assert_close(p.detach(), torch.tensor(w))  # weights untouched
    assert n_clipped >= 2  # the check exercised the clipping branch


def test_adaptive_clip_grad_zero_weights_use_eps() -> None:
    p = nn.Parameter(torch.zeros(2, 3, dtype=torch.float64))
    p.grad = torch.tensor([[3.0, 4.0, 0.0], [1e-6, 0.0, 0.0]], dtype=torch.float64)
    adaptive_clip_grad([p], clipping=0.1, eps=1e-3)
    # Row 0: norm 5 > 0.1 * 1e-3, rescaled to norm 1e-4; row 1: norm 1e-6 < 1e-4, unchanged.
    torch.testing.assert_close(p.grad[0], torch.tensor([3.0, 4.0, 0.0], dtype=torch.float64) * 1e-4 / 5.0)
    torch.testing.assert_close(p.grad[1], torch.tensor([1e-6, 0.0, 0.0], dtype=torch.float64))


def test_adaptive_clip_grad_accepts_module_and_single_tensor() -> None:
    model = nn.Linear(4, 3)
    for p in model.parameters():
        p.grad = torch.full_like(p, 100.0)
    adaptive_clip_grad(model, clipping=0.05)
    row_ratio = model.weight.grad.norm(dim=1) / model.weight.detach().norm(dim=1).clamp(min=1e-3)
    torch.testing.assert_close(row_ratio, torch.full((3,), 0.05))
    single = nn.Parameter(torch.ones(3))
    single.grad = torch.full((3,), 10.0)
    adaptive_clip_grad(single, clipping=0.5)
    assert float(single.grad.norm()) == pytest.approx(0.5 * math.sqrt(3))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"clipping": 0.0}, "clipping"), ({"clipping": -0.1}, "clipping"), ({"eps": 0.0}, "eps")],
)
def test_adaptive_clip_grad_validation(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        adaptive_clip_grad(make_params([np.ones(2)]), **kwargs)


# ----------------------------------------------------------------------------------------------------
# gradient_norms_through_time
# ----------------------------------------------------------------------------------------------------

ALL_MODULES = {
    "RNN": lambda: nn.RNN(3, 6),
    "LSTM-2-layers-batch-first": lambda: nn.LSTM(3, 6, num_layers=2, batch_first=True),
    "GRU": lambda: nn.GRU(3, 6),
    "LSTM-proj": lambda: nn.LSTM(3, 6, proj_size=2),
    "RNNCell": lambda: nn.RNNCell(3, 6),
    "LSTMCell": lambda: nn.LSTMCell(3, 6),
    "GRUCell": lambda: nn.GRUCell(3, 6),
}


@pytest.mark.filterwarnings("ignore:LSTM with projections is not supported with oneDNN")
@pytest.mark.parametrize("factory", ALL_MODULES.values(), ids=ALL_MODULES.keys())
def test_gradient_norms_shape_and_last_step(factory) -> None:
    torch.manual_seed(0)
    module = factory()
    norms = gradient_norms_through_time(module, 12, batch_size=4)
    assert norms.shape == (12,)
    assert norms.device.type == "cpu"
    assert torch.isfinite(norms).all()
    assert (norms > 0).all()
    # With L = sum(h_T), dL/dh_T is all ones: its norm is sqrt(N * H_out).
    h_out = module.proj_size if getattr(module, "proj_size", 0) else module.hidden_size
    assert float(norms[-1]) == pytest.approx(math.sqrt(4 * h_out), rel=1e-6)
    again = gradient_norms_through_time(module, 12, batch_size=4)
    assert torch.equal(norms, again)
    assert not torch.equal(norms, gradient_norms_through_time(module, 12, batch_size=4, seed=1))
    assert all(p.grad is None for p in module.parameters())  # the module's gradients are not touched


def test_small_tanh_rnn_gradients_vanish_going_back_in_time() -> None:
    torch.manual_seed(0)
    rnn = nn.RNN(4, 16)
    with torch.no_grad():
        for p in rnn.parameters():
            p.uniform_(-0.1, 0.1)
    norms = gradient_norms_through_time(rnn, 30)
    assert (norms[:-1] < norms[1:]).all()  # strictly shrinking going back
    assert float(norms[0]) < 1e-6 * float(norms[-1])


def test_relu_rnn_gradients_explode_exactly_geometrically() -> None:
    # W_hh = 1.5 I and a positive pre-activation at every step: dh_t/dh_{t-1} = 1.5 I exactly,
    # so ||dL/dh_t|| = 1.5 ** (T - t) * sqrt(N * H).
    hidden, length, batch = 5, 10, 3
    rnn = nn.RNN(2, hidden, nonlinearity="relu").double()
    with torch.no_grad():
        rnn.weight_hh_l0.copy_(1.5 * torch.eye(hidden))
        rnn.weight_ih_l0.fill_(0.3)
        rnn.bias_ih_l0.fill_(0.1)
        rnn.bias_hh_l0.zero_()
    x = torch.rand(length, batch, 2, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    norms = gradient_norms_through_time(rnn, length, input=x)
    expected = 1.5 ** torch.arange(length - 1, -1, -1, dtype=torch.float64) * math.sqrt(batch * hidden)
    torch.testing.assert_close(norms, expected)


def test_gradient_norms_match_a_manually_unrolled_cell() -> None:
    torch.manual_seed(1)
    rnn = nn.RNN(3, 8)
    cell = nn.RNNCell(3, 8)
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(cell, name).copy_(getattr(rnn, f"{name}_l0"))
    x = torch.randn(9, 2, 3)
    norms = gradient_norms_through_time(rnn, 9, input=x)
    # Different route: retain_grad on a hand-unrolled cell and loss.backward().
    h = torch.zeros(2, 8)
    states = []
    for t in range(9):
        h = cell(x[t], h)
        h.retain_grad()
        states.append(h)
    states[-1].sum().backward()
    manual = torch.stack([s.grad.norm() for s in states])
    torch.testing.assert_close(norms, manual, rtol=1e-5, atol=1e-7)


def test_gradient_norms_of_stacked_lstm_measure_the_top_layer() -> None:
    torch.manual_seed(2)
    lstm = nn.LSTM(3, 4, num_layers=2, batch_first=True)
    cells = [nn.LSTMCell(3, 4), nn.LSTMCell(4, 4)]
    with torch.no_grad():
        for layer, cell in enumerate(cells):
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                getattr(cell, name).copy_(getattr(lstm, f"{name}_l{layer}"))
    x = torch.randn(2, 7, 3)  # (N, L, H_in): batch_first
    norms = gradient_norms_through_time(lstm, 7, input=x, loss="last")
    state = [(torch.zeros(2, 4), torch.zeros(2, 4)) for _ in cells]
    tops = []
    for t in range(7):
        inp = x[:, t]
        for layer, cell in enumerate(cells):
            state[layer] = cell(inp, state[layer])
            inp = state[layer][0]
        inp.retain_grad()
        tops.append(inp)
    tops[-1].sum().backward()
    manual = torch.stack([h.grad.norm() for h in tops])
    torch.testing.assert_close(norms, manual, rtol=1e-5, atol=1e-7)
    # Same data in (L, N, H_in) layout through an equal non-batch_first module gives the same norms.
    lstm_seq_first = nn.LSTM(3, 4, num_layers=2)
    lstm_seq_first.load_state_dict(lstm.state_dict())
    torch.testing.assert_close(gradient_norms_through_time(lstm_seq_first, 7, input=x.transpose(0, 1)), norms)


def test_gradient_norms_unbatched_input_and_mse_loss() -> None:
    torch.manual_seed(3)
    gru = nn.GRU(2, 3)
    x = torch.randn(5, 2)
    unbatched = gradient_norms_through_time(gru, 5, input=x)
    batched = gradient_norms_through_time(gru, 5, input=x.unsqueeze(1))
    torch.testing.assert_close(unbatched, batched)
    mse = gradient_norms_through_time(gru, 5, loss="last_mse", seed=4)
    assert torch.equal(mse, gradient_norms_through_time(gru, 5, loss="last_mse", seed=4))
    assert not torch.allclose(mse, gradient_norms_through_time(gru, 5, loss="last", seed=4))


def test_gradient_norms_disable_dropout_and_restore_training_mode() -> None:
    torch.manual_seed(4)
    gru = nn.GRU(3, 5, num_layers=3, dropout=0.5)
    frozen = nn.RNN(3, 5).requires_grad_(False)
    assert gru.training
    first = gradient_norms_through_time(gru, 8)
    assert gru.training
    assert torch.equal(first, gradient_norms_through_time(gru, 8))
    gru.eval()
    assert torch.equal(first, gradient_norms_through_time(gru, 8))
    assert not gru.training
    assert torch.isfinite(gradient_norms_through_time(frozen, 8)).all()


def test_gradient_norms_validation() -> None:
    with pytest.raises(ValueError, match="bidirectional"):
        gradient_norms_through_time(nn.LSTM(3, 4, bidirectional=True), 5)
    with pytest.raises(TypeError, match="module"):
        gradient_norms_through_time(nn.Linear(3, 4), 5)
    with pytest.raises(ValueError, match="seq_len"):
        gradient_norms_through_time(nn.RNN(3, 4), 0)
    with pytest.raises(TypeError, match="seq_len"):
        gradient_norms_through_time(nn.RNN(3, 4), 2.5)
    with pytest.raises(ValueError, match="batch_size"):
        gradient_norms_through_time(nn.RNN(3, 4), 5, batch_size=0)
    with pytest.raises(ValueError, match="loss"):
        gradient_norms_through_time(nn.RNN(3, 4), 5, loss="sum")
    with pytest.raises(ValueError, match="seq_len = 5"):
        gradient_norms_through_time(nn.RNN(3, 4), 5, input=torch.randn(6, 2, 3))
    with pytest.raises(ValueError, match="input_size"):
        gradient_norms_through_time(nn.RNN(3, 4), 5, input=torch.randn(5, 2, 2))
    with pytest.raises(ValueError, match="input"):
        gradient_norms_through_time(nn.RNN(3, 4), 5, input=torch.randn(5))
    with pytest.raises(TypeError, match="input"):
        gradient_norms_through_time(nn.RNN(3, 4), 5, input=[[0.0] * 3] * 5)


def test_saved_tensor_bytes_counts_each_saved_storage_once() -> None:
    from rnn_guide.gradients import saved_tensor_bytes

    a = torch.randn(10, requires_grad=True)  # 40 bytes each
    b = torch.randn(10, requires_grad=True)
    assert saved_tensor_bytes(lambda: (a * b).sum()) == 80  # mul keeps both factors
    assert saved_tensor_bytes(lambda: (a * a).sum()) == 40  # the same storage twice counts once
    assert saved_tensor_bytes(lambda: (a + b).sum()) == 0  # add keeps nothing
    with torch.no_grad():
        assert saved_tensor_bytes(lambda: (a * b).sum()) == 0
    with pytest.raises(TypeError, match="run must be a function"):
        saved_tensor_bytes(a)


def test_saved_tensor_bytes_grows_linearly_with_the_steps_of_an_lstm() -> None:
    from rnn_guide.gradients import saved_tensor_bytes

    torch.manual_seed(0)
    lstm = torch.nn.LSTM(8, 64)
    lengths = (50, 100, 200)
    sizes = [saved_tensor_bytes(lambda n=n: lstm(torch.randn(n, 16, 8))[0].sum()) for n in lengths]
    per_step = [(b - a) / (m - n) for n, m, a, b in zip(lengths, lengths[1:], sizes, sizes[1:], strict=False)]
    assert sizes[0] > 0 and abs(per_step[1] / per_step[0] - 1) < 0.01
    # at least the 16 x 64 float32 h_t and c_t of every step
    assert per_step[0] > 2 * 16 * 64 * 4
