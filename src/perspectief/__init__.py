"""Perspectief: the Django project for a municipality's poverty approach."""

from .celery import app as celery_app

__all__ = ["celery_app"]
