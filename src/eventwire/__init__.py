"""eventwire: who did what to whom, when, where, and according to whom, from news, with evidence.

    >>> import eventwire
    >>> doc = eventwire.extract("Kyiv summoned the Iranian envoy on Tuesday.", published="2024-09-10")
    >>> doc.to_dict()["events"][0]["type"]
    'ACCUSE'
"""
__version__ = "0.1.0"

# The rest of the API (events, export, claims, ...) lives in eventwire.api, beside the modules of those names.
from . import api  # noqa: E402,F401
from .api import check, extract, extract_file, ingest, reprocess, stats  # noqa: E402,F401
from .model import Extraction  # noqa: E402,F401
