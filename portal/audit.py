"""The audit trail (django-auditlog) names who made a change, also outside a page's request."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from auditlog import get_logentry_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import pre_save


@contextmanager
def audited_as(obj: models.Model, actor: Any) -> Iterator[None]:
    """The audit entries written for ``obj`` in this thread while the block runs name ``actor``.

    A page's request names its user already (auditlog's middleware), and so does the API for a
    token; a service called from a task, a management command or a test does not. An entry
    that already names someone is left alone.
    """
    if actor is None or not getattr(actor, "is_authenticated", False):
        yield
        return
    entry_model = get_logentry_model()
    thread = threading.get_ident()
    object_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)

    def name_actor(sender, instance, **kwargs) -> None:
        if (
            threading.get_ident() == thread
            and instance.actor_id is None
            and instance.content_type_id == object_type.pk
            and str(instance.object_pk) == str(obj.pk)
        ):
            instance.actor = actor
            instance.actor_email = getattr(actor, "email", None)

    uid = f"portal.audit.{thread}.{id(obj)}"
    pre_save.connect(name_actor, sender=entry_model, weak=False, dispatch_uid=uid)
    try:
        yield
    finally:
        pre_save.disconnect(sender=entry_model, dispatch_uid=uid)
