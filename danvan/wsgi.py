import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")

application = get_wsgi_application()

# The first PDF a process prints would otherwise load the fonts and WeasyPrint's libraries.
# A failure here is the PDFs' own (their pages will say so), not every page's.
from reports.pdf import warm_up  # noqa: E402 (once Django is set up)

try:
    warm_up()
except Exception:
    logging.getLogger(__name__).exception("The documents' warm-up failed")
