"""The reports app's models, gathered here so Django finds them."""

from .documents.models import *  # noqa: F401,F403
from .jobs.models import *  # noqa: F401,F403
from .public.models import *  # noqa: F401,F403
