# Commands of the "Beyond one machine" page. The page's output comes from the
# launch section of distributed.py, which runs the first command (torchrun is
# python -m torch.distributed.run); tests/test_distributed.py checks they agree.

# --8<-- [start:cpu]
torchrun --standalone --nproc_per_node=2 snippets/training/ddp_classifier.py
# --8<-- [end:cpu]

# --8<-- [start:gpus]
torchrun --standalone --nproc_per_node=4 snippets/training/ddp_classifier.py
# --8<-- [end:gpus]

# --8<-- [start:nodes]
# on each of 2 machines; --node_rank=0 on the first, 1 on the second
torchrun --nnodes=2 --node_rank=0 --nproc_per_node=4 \
    --master_addr=10.0.0.1 --master_port=29500 \
    snippets/training/ddp_classifier.py
# --8<-- [end:nodes]
