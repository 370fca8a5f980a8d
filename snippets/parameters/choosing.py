"""Parameter counts for a grid of hidden sizes and depths."""

# --8<-- [start:count-grid]
from torch import nn

from rnn_guide.shapes import parameter_count, parameter_count_for

INPUT_SIZE = 128  # e.g. an embedding dimension
HIDDEN_SIZES = (64, 128, 256, 512)
DEPTHS = (1, 2, 3)

counts = {
    (hidden, depth): parameter_count_for(
        "LSTM", input_size=INPUT_SIZE, hidden_size=hidden, num_layers=depth
    )
    for hidden in HIDDEN_SIZES
    for depth in DEPTHS
}
# The closed-form count agrees with a real module
real = nn.LSTM(INPUT_SIZE, 512, num_layers=3)
assert counts[512, 3] == parameter_count(real)
assert counts[512, 3] == sum(p.numel() for p in real.parameters())

# hidden_size down the rows, num_layers across the columns
print("| `hidden_size` / `num_layers` |", " | ".join(map(str, DEPTHS)), "|")
print("|---" + "|---:" * len(DEPTHS) + "|")
for hidden in HIDDEN_SIZES:
    row = [f"{counts[hidden, depth]:,}" for depth in DEPTHS]
    print(f"| {hidden} |", " | ".join(row), "|")
# --8<-- [end:count-grid]
