"""rnn_guide.regularization: locked (variational) dropout and embedding dropout."""

from __future__ import annotations

import pytest
import torch
from torch import nn

from rnn_guide.regularization import EmbeddingDropout, LockedDropout


@pytest.mark.parametrize("batch_first", [False, True])
def test_locked_dropout_uses_one_mask_for_every_step(batch_first: bool) -> None:
    torch.manual_seed(0)
    drop = LockedDropout(0.5, batch_first=batch_first)
    x = torch.ones(3, 9, 16) if batch_first else torch.ones(9, 3, 16)  # 9 steps, 3 sequences
    y = drop(x)
    assert y.shape == x.shape
    steps = y.unbind(1 if batch_first else 0)
    assert all(torch.equal(step, steps[0]) for step in steps)
    assert set(y.unique().tolist()) == {0.0, 2.0}  # kept values scaled by 1 / (1 - p)


def test_locked_dropout_keeps_the_expected_value() -> None:
    torch.manual_seed(0)
    y = LockedDropout(0.3)(torch.ones(2, 4000, 50))
    assert abs(y.mean().item() - 1.0) < 0.02


def test_locked_dropout_is_the_identity_in_eval_mode_and_at_p_zero() -> None:
    x = torch.randn(5, 2, 4)
    drop = LockedDropout(0.5).eval()
    assert drop(x) is x
    assert LockedDropout(0.0)(x) is x


def test_locked_dropout_passes_gradients_through_kept_units() -> None:
    torch.manual_seed(0)
    x = torch.ones(4, 2, 6, requires_grad=True)
    LockedDropout(0.5)(x).sum().backward()
    assert x.grad is not None
    assert set(x.grad.unique().tolist()) <= {0.0, 2.0}


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5])
def test_locked_dropout_rejects_bad_probabilities(p: float) -> None:
    with pytest.raises(ValueError, match=r"p must lie in \[0.0, 1.0\)"):
        LockedDropout(p)


def test_locked_dropout_rejects_bad_arguments() -> None:
    with pytest.raises(TypeError, match="p must be a number"):
        LockedDropout("0.5")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="batch_first must be a bool"):
        LockedDropout(0.5, batch_first=1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="x must be 3-D"):
        LockedDropout(0.5)(torch.ones(4, 5))
    assert "p=0.25, batch_first=True" in repr(LockedDropout(0.25, batch_first=True))


def test_embedding_dropout_drops_whole_token_types() -> None:
    torch.manual_seed(0)
    embedding = nn.Embedding(20, 6)
    layer = EmbeddingDropout(embedding, p=0.5)
    tokens = torch.arange(20).repeat(3, 1)  # (N, L) = (3, 20): each id three times
    vectors = layer(tokens)  # (3, 20, 6)
    assert vectors.shape == (3, 20, 6)
    dropped = (vectors == 0).all(dim=-1)  # (3, 20)
    assert torch.equal(dropped[0], dropped[1]) and torch.equal(dropped[0], dropped[2])
    assert 0 < dropped[0].sum() < 20
    kept = ~dropped[0]
    assert torch.allclose(vectors[0, kept], 2 * embedding.weight[kept])


def test_embedding_dropout_keeps_the_padding_row_and_trains_the_embedding() -> None:
    torch.manual_seed(0)
    embedding = nn.Embedding(10, 4, padding_idx=0)
    layer = EmbeddingDropout(embedding, p=0.5)
    tokens = torch.tensor([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]])
    layer(tokens).sum().backward()
    assert embedding.weight.grad is not None
    assert torch.equal(embedding.weight.grad[0], torch.zeros(4))  # padding row gets no gradient
    assert list(layer.parameters()) == [embedding.weight]


def test_embedding_dropout_in_eval_mode_equals_the_embedding() -> None:
    torch.manual_seed(0)
    embedding = nn.Embedding(10, 4)
    layer = EmbeddingDropout(embedding, p=0.9).eval()
    tokens = torch.randint(0, 10, (2, 5))
    assert torch.equal(layer(tokens), embedding(tokens))
    assert torch.equal(EmbeddingDropout(embedding, p=0.0).train()(tokens), embedding(tokens))


def test_embedding_dropout_rejects_bad_arguments() -> None:
    with pytest.raises(TypeError, match="embedding must be an nn.Embedding"):
        EmbeddingDropout(nn.Linear(3, 4))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"p must lie in \[0.0, 1.0\)"):
        EmbeddingDropout(nn.Embedding(3, 4), p=1.0)
    with pytest.raises(TypeError, match="tokens must be a torch.Tensor"):
        EmbeddingDropout(nn.Embedding(3, 4))([1, 2])  # type: ignore[arg-type]
    assert "p=0.1" in repr(EmbeddingDropout(nn.Embedding(3, 4)))
