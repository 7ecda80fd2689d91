"""The outer shell that codes a corpus: read → batch → map the pure coder over batches → store.

:mod:`.work` holds the one function every runner maps (``code_batch``); :mod:`.local` runs it in this
process or a process pool, :mod:`.dask` on a Dask cluster; :mod:`.pipeline` streams inputs through
either into the store with bounded memory, and :mod:`.progress` shows rate and ETA. Parallelism lives
only here: nothing below (ingest, nlp, store) knows how many processes there are.
"""

from __future__ import annotations

from .pipeline import IngestSummary, ingest
from .progress import ProgressBar
from .work import CodedBatch, code_batch

__all__ = ["CodedBatch", "IngestSummary", "ProgressBar", "code_batch", "ingest"]
