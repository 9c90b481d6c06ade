import factory

from accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    first_name = "小明"
    last_name = "王"
    password = factory.PostGenerationMethodCall("set_password", "huinong-test")
