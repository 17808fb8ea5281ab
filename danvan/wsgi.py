import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")

application = get_wsgi_application()

# The first PDF a process prints would otherwise load the fonts and WeasyPrint's libraries.
from reports.pdf import warm_up  # noqa: E402 (once Django is set up)

warm_up()
