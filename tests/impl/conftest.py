"""The impl tests call BLAS on many small matrices: one thread each, so that a shared machine's
spinning BLAS threads do not multiply their time (set before NumPy is imported, where it is not yet)."""

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
