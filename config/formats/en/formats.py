# English is the second language: dates as in Vietnamese (day first; a moment date first, as
# core.formatting.fmt_datetime writes it), numbers in the English way (150,000,000 and 95.5).
from config.formats.vi.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
