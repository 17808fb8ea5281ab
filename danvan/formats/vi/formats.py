"""Vietnamese date formats: dd/mm/yyyy shown, and typed dates always read day-first.

Django's own `vi` locale defines no input formats, so it would fall back to the
month-first defaults and read 05/09/2025 as 9 May.
"""

DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "H:i d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
FIRST_DAY_OF_WEEK = 1  # Monday
# Day first, with whatever separator a phone's keypad offers; a day or a month of one digit
# is read too (5/9/2025). Eight digits with no separator are read by the site's date boxes
# (`core.pages.DayFirstDateField`), which refuse fewer (1122025: 11/2 or 1/12?).
DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 05/09/2025, 5/9/2025
    "%d/%m/%y",  # 05/09/25
    "%d-%m-%Y",  # 05-09-2025
    "%d.%m.%Y",  # 05.09.2025
    "%d,%m,%Y",  # 05,09,2025 (a decimal keypad's comma)
    "%d %m %Y",  # 05 09 2025
    "%Y-%m-%d",  # 2025-09-05 (ISO, as browsers' date inputs send it)
]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3  # 130.856 where a figure asks for grouping
