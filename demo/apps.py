from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo and benchmark data of every app: `load_demo` calls each app's demo loader in
    turn, `seed_scale` writes synthetic data at a district's, a city's or the country's
    scale. At the top of the tree: it reads every app, and no app reads it."""

    name = "demo"
    verbose_name = _("Demo data")
