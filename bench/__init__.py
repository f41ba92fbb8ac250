"""The benchmark of issue #5: dfdg against PostGraphile v5 and a hand-written floor (``python -m bench``)."""
