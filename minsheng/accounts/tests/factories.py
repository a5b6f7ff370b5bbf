import factory

from minsheng.accounts.models import DonorProfile, User
from minsheng.accounts.validators import with_credit_check_digit

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


def credit_code_for(n: int, region: str = "440781") -> str:
    """A valid 统一社会信用代码 (enterprise, registered by 工商 9-1), different for each n."""
    return with_credit_check_digit(f"91{region}{n:09d}")


class DonorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DonorProfile

    user = factory.SubFactory(UserFactory, role=User.Role.DONOR)
    kind = DonorProfile.Kind.ENTERPRISE
    name = factory.Sequence(lambda n: f"江门爱心企业{n}有限公司")
    contact_name = "李经理"
