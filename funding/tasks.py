"""Celery tasks for funding: thin, they call a service."""

from celery import shared_task


@shared_task(name="funding.lapse_unpublished_cofinancing", soft_time_limit=250, time_limit=300)
def lapse_unpublished_cofinancing() -> int:
    """Run by Celery beat daily: co-financing whose call was not published by its round's date
    lapses and goes back to the fund."""
    from .services.cofinancing import cofinancing_lapse_unpublished

    return cofinancing_lapse_unpublished()
