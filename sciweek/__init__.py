# The Celery app is configured from Django's settings as soon as sciweek is imported, so that a job
# sent from a web process goes to CELERY_BROKER_URL (and not to Celery's default broker).
from .celery import app as celery_app

__all__ = ("celery_app",)
