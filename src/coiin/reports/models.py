"""The reports app's models, gathered here so Django finds them."""

from .models_jobs import *  # noqa: F401,F403
from .models_snapshots import *  # noqa: F401,F403
from .public.models import *  # noqa: F401,F403
