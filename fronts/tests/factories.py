from factory.django import DjangoModelFactory

from fronts.models import Front


class FrontFactory(DjangoModelFactory):
    class Meta:
        model = Front
        django_get_or_create = ["section"]

    section = None
