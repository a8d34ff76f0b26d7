"""
Moving models from one app to another without losing who may do what with them.

A model moved between apps keeps its table; Django only needs its content type renamed, so
that its permissions (held by the roles and people), the admin's log and anything else
pointing at the content type keep pointing at the same rows. Used by the migrations that move
a model (photos' 0002, importers' 0002), with the historical models they are given.
"""


def move_content_types(apps, models, *, from_app, to_app):
    """
    Rename the content types of `models` from `from_app` to `to_app`. Where `to_app` has one
    already, the old one's permissions, holders and log entries are merged into it.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    LogEntry = apps.get_model("admin", "LogEntry")
    for model in models:
        old = ContentType.objects.filter(app_label=from_app, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=to_app, model=model).first()
        if new is None:
            old.app_label = to_app
            old.save(update_fields=["app_label"])
            continue
        for permission in Permission.objects.filter(content_type=old):
            twin = Permission.objects.filter(content_type=new, codename=permission.codename).first()
            if twin is None:
                permission.content_type = new
                permission.save(update_fields=["content_type"])
                continue
            for group in permission.group_set.all():
                group.permissions.add(twin)
            for user in permission.user_set.all():
                user.user_permissions.add(twin)
            permission.delete()
        LogEntry.objects.filter(content_type=old).update(content_type=new)
        old.delete()
