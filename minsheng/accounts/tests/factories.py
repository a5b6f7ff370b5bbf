import factory

from minsheng.accounts.models import DonorProfile, User

PASSWORD = "Minsheng-test-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Sequence(lambda n: f"用户{n}")
    role = User.Role.CONGRESS_STAFF
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class DonorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DonorProfile

    user = factory.SubFactory(UserFactory, role=User.Role.DONOR)
    kind = DonorProfile.Kind.ENTERPRISE
    name = factory.Sequence(lambda n: f"江门爱心企业{n}有限公司")
    contact_name = "李经理"
