import factory
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import Membership, Organisation, Role, User

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    # Plain names: no apostrophes (’s-Gravenhage) that HTML escapes and assertions trip over.
    full_name = factory.Iterator(
        [
            # Never a call's contact person in tests/calls/factories.py ("Sanne de Vries"):
            # pages show that name, and tests check an asker's name is not shown.
            "Anouk Jansen",
            "Daan Bakker",
            "Fatima El Idrissi",
            "Jeroen Visser",
            "Lotte Smit",
            "Mohamed Yilmaz",
            "Eva Mulder",
            "Bram de Jong",
            "Noor Hendriks",
            "Pieter van Dijk",
        ]
    )
    password = factory.django.Password(PASSWORD)


class AuthorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Gemeente Testdorp {n}")
    kind = Organisation.Kind.AUTHORITY
    authority_tier = Organisation.AuthorityTier.MUNICIPALITY


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Innovatie {n} B.V.")
    kind = Organisation.Kind.COMPANY
    kvk_number = factory.Sequence(lambda n: f"{60000000 + n:08d}")
    is_sme = True
    # Verified (eHerkenning or the trade register) unless a test is about unverified ones.
    verified_at = factory.LazyFunction(timezone.now)


class MinistryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Ministerie {n}")
    kind = Organisation.Kind.MINISTRY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(AuthorityFactory)
    role = Role.PROCUREMENT_OFFICER


def person_with_role(role: str, organisation: Organisation | None = None, **user_fields) -> User:
    """A person holding one role, in a fresh organisation of the right kind by default."""
    if organisation is None:
        organisation = {
            Role.PROCUREMENT_OFFICER: AuthorityFactory,
            Role.APPLICANT: CompanyFactory,
            Role.ASSESSOR: AuthorityFactory,
            Role.COMMITTEE_CHAIR: AuthorityFactory,
            Role.MINISTRY_STAFF: MinistryFactory,
        }[role]()
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


def confirmed_totp_device(user: User) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="test app", confirmed=True)


def api_key_for(user: User, *, scope: str = "read_write") -> str:
    """A live API token's key for this person, as if made on the account page after the
    second factor."""
    from portal.identity.services.tokens import api_token_create

    _token, key = api_token_create(
        actor=user, name="test", scope=scope, days=90, second_factor_verified=True
    )
    return key
