"""
Writes that Django's model signals miss, made visible.

`save()` and `delete()` send `pre_save`/`post_save`/`post_delete`; a QuerySet's `update()`,
`bulk_create()` and `bulk_update()` send nothing, and importers, commands and services use
them. A model whose derived state (cached pages, counts) must follow every write uses
`WriteSignallingQuerySet`, which sends `rows_written` around those bulk writes, so that the
code keeping derived state fresh listens in one place and no writer has to remember it.
"""

from django.db import models
from django.dispatch import Signal

# Sent by a WriteSignallingQuerySet's bulk writes, with `sender` the model, `pks` the ids of
# the rows, `fields` the names of the fields written (None for new rows) and `when`:
# "before" the write (the rows as they were: what they showed is about to change) or
# "after" it (the ids of new rows are known only then).
rows_written = Signal()


class WriteSignallingQuerySet(models.QuerySet):
    """A QuerySet whose update(), bulk_create() and bulk_update() send `rows_written`."""

    def _listened(self):
        return rows_written.has_listeners(self.model)

    def _send(self, pks, fields, when):
        if pks:
            rows_written.send(self.model, pks=pks, fields=fields, when=when, using=self.db)

    def update(self, **kwargs):
        if not self._listened():
            return super().update(**kwargs)
        pks = list(self.order_by().values_list("pk", flat=True))
        fields = frozenset(kwargs)
        self._send(pks, fields, "before")
        count = super().update(**kwargs)
        self._send(pks, fields, "after")
        return count

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        if self._listened():
            self._send([obj.pk for obj in created if obj.pk is not None], None, "after")
        return created

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if not self._listened():
            return super().bulk_update(objs, fields, *args, **kwargs)
        pks = [obj.pk for obj in objs]
        names = frozenset(fields)
        self._send(pks, names, "before")
        count = super().bulk_update(objs, fields, *args, **kwargs)
        self._send(pks, names, "after")
        return count
