# The two commands of the README, kept in one file so that pages include them
# and the test suite checks that the README and .ci/run use exactly these.

# --8<-- [start:serve]
python3 dev.py serve
# --8<-- [end:serve]

# --8<-- [start:test]
python3 dev.py test
# --8<-- [end:test]
