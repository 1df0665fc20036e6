"""Identity: people, the organisations they act for and the roles they hold there."""

from auditlog.registry import auditlog
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.nuts import NUTS_HELP, nuts_choices

kvk_number_validator = RegexValidator(
    r"^\d{8}$", _("A KvK number consists of exactly 8 digits."), code="invalid_kvk"
)
oin_validator = RegexValidator(
    r"^\d{20}$", _("An OIN consists of exactly 20 digits."), code="invalid_oin"
)


# The eForms pattern of a telephone number (the SDK's rule BR-BT-00503-0052): digits, an
# optional leading + or a bracketed prefix, groups separated by a space or a hyphen. The digit
# runs inside the repeated group are possessive: the SDK's pattern as written can split a long
# run of digits in exponentially many ways (29 digits and a letter took minutes), this one
# accepts the same numbers in linear time.
telephone_validator = RegexValidator(
    r"^((\(\+?[0-9]+\))|\+?[0-9]+)( - |-| )?(((\([0-9]++\))|[0-9]++)( - |-| )?)*([0-9]+)( )?$",
    _("A telephone number consists of digits, e.g. +31 30 123 4567 or 030-1234567."),
    code="invalid_telephone",
)
# A Dutch postcode: four digits (the first not 0), a space, two capitals.
DUTCH_POSTCODE = r"^[1-9][0-9]{3} [A-Z]{2}$"
dutch_postcode_validator = RegexValidator(
    DUTCH_POSTCODE,
    _("A Dutch postcode is four digits, a space and two letters, e.g. 3526 LA."),
    code="invalid_postcode",
)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        # E-mail addresses are stored lower-case; logging in is case-insensitive.
        return self.get(**{self.model.USERNAME_FIELD: username.lower()})


class User(AbstractBaseUser, PermissionsMixin):  # type: ignore[django-manager-missing]  # django-otp has no stubs, so its devices' reverse managers cannot be resolved
    """A person. Logs in with an e-mail address; acts through memberships."""

    # What the selectors remember for the rest of a request (portal.selectors.identity,
    # portal.identity.selectors); absent until first asked.
    _portal_memberships: frozenset[tuple[str, int]]
    _identity_email_pending: bool

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    is_staff = models.BooleanField(
        _("portal administrator"),
        default=False,
        help_text=_("May use the administration, the audit trail and the system status."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Organisation(models.Model):
    class Kind(models.TextChoices):
        AUTHORITY = "authority", _("contracting authority")
        COMPANY = "company", _("company")
        MINISTRY = "ministry", _("ministry or agency")

    class MainActivity(models.TextChoices):
        """An authority's main activity, as the eForms code list authority-activity names it."""

        GENERAL_PUBLIC_SERVICES = "gen-pub", _("general public services")
        PUBLIC_ORDER_AND_SAFETY = "pub-os", _("public order and safety")
        DEFENCE = "defence", _("defence")
        ECONOMIC_AFFAIRS = "econ", _("economic affairs")
        ENVIRONMENT = "env", _("environmental protection")
        HOUSING_AND_COMMUNITY = "hc-am", _("housing and community amenities")
        HEALTH = "health", _("health")
        RECREATION_CULTURE_RELIGION = "rcr", _("recreation, culture and religion")
        EDUCATION = "educ", _("education")
        SOCIAL_PROTECTION = "soc-pro", _("social protection")

    class AuthorityTier(models.TextChoices):
        CENTRAL_GOVERNMENT = "central_government", _("central government")
        PROVINCE = "province", _("province")
        MUNICIPALITY = "municipality", _("municipality")
        WATER_BOARD = "water_board", _("water board")
        OTHER_PUBLIC_BODY = "other_public_body", _("other public body")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    authority_tier = models.CharField(
        _("tier"), max_length=30, choices=AuthorityTier.choices, blank=True
    )
    kvk_number = models.CharField(
        _("KvK number"),
        max_length=8,
        blank=True,
        validators=[kvk_number_validator],
        help_text=_("Chamber of Commerce registration number: 8 digits."),
    )
    # A company from abroad has no KvK number: its country and VAT number or EUID instead.
    # portal.identity owns these fields and the verification below.
    country = models.CharField(_("country"), max_length=2, default="NL")
    vat_number = models.CharField(_("VAT number"), max_length=20, blank=True)
    euid = models.CharField(_("EUID"), max_length=40, blank=True)
    verified_at = models.DateTimeField(
        _("verified at"),
        null=True,
        blank=True,
        help_text=_("When eHerkenning or a check in the trade register proved who it is."),
    )

    class CompanySize(models.TextChoices):
        """The eForms code list economic-operator-size (Commission Recommendation
        2003/361/EC)."""

        MICRO = "micro", _("micro enterprise (fewer than 10 employees, at most € 2 million)")
        SMALL = "small", _("small enterprise (fewer than 50 employees, at most € 10 million)")
        MEDIUM = (
            "medium",
            _("medium-sized enterprise (fewer than 250 employees, at most € 50 million)"),
        )
        LARGE = "large", _("large enterprise")

    is_sme = models.BooleanField(_("SME"), default=False)
    company_size = models.CharField(
        _("company size"),
        max_length=10,
        choices=CompanySize.choices,
        blank=True,
        help_text=_("Employees and annual turnover of the whole company, with its group."),
    )
    is_startup = models.BooleanField(_("start-up"), default=False)
    website = models.URLField(_("website"), blank=True)
    # What a published procurement notice (eForms) says about an authority: its identifiers,
    # address and region, and the court that hears complaints about its procedures.
    oin = models.CharField(
        _("OIN"),
        max_length=20,
        blank=True,
        validators=[oin_validator],
        help_text=_("Organisation identification number of the Dutch government: 20 digits."),
    )
    main_activity = models.CharField(
        _("main activity"), max_length=10, choices=MainActivity.choices, blank=True
    )
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("postal code"),
        max_length=10,
        blank=True,
        help_text=_("In the Netherlands four digits, a space and two letters: 3526 LA."),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    nuts_code = models.CharField(
        _("NUTS region"), max_length=5, blank=True, choices=nuts_choices(), help_text=NUTS_HELP
    )
    telephone = models.CharField(
        _("telephone"),
        max_length=30,
        blank=True,
        validators=[telephone_validator],
        help_text=_("The general number, e.g. +31 30 123 4567."),
    )
    tenderned_id = models.CharField(
        _("TenderNed identifier"),
        max_length=50,
        blank=True,
        help_text=_("The number under which TenderNed knows this contracting authority."),
    )
    # A prize (or subsidy) of an administrative body is a decision under the Awb: open to
    # objection (bezwaar) within six weeks. Most authorities are; a private foundation is not.
    is_administrative_body = models.BooleanField(
        _("administrative body (bestuursorgaan)"),
        default=True,
        help_text=_(
            "Its decisions fall under the General Administrative Law Act (Awb): a company can "
            "lodge an objection (bezwaar) within six weeks. Untick for a private body, whose "
            "letters give a complaint route instead."
        ),
    )
    review_body_name = models.CharField(
        _("review body"),
        max_length=200,
        blank=True,
        help_text=_(
            "The court that hears complaints about its procedures, e.g. Rechtbank Den Haag."
        ),
    )
    review_body_city = models.CharField(_("city of the review body"), max_length=100, blank=True)
    review_body_postal_code = models.CharField(
        _("postal code of the review body"),
        max_length=10,
        blank=True,
        validators=[dutch_postcode_validator],
    )
    review_body_nuts_code = models.CharField(
        _("NUTS region of the review body"),
        max_length=5,
        blank=True,
        choices=nuts_choices(),
        help_text=NUTS_HELP,
    )
    review_body_identifier = models.CharField(
        _("identifier of the review body"),
        max_length=20,
        blank=True,
        help_text=_("Its OIN or KvK number."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kvk_number"],
                condition=~Q(kvk_number=""),
                name="organisation_unique_kvk_number",
            ),
            models.UniqueConstraint(
                fields=["vat_number"],
                condition=~Q(vat_number=""),
                name="organisation_unique_vat_number",
            ),
            models.UniqueConstraint(
                fields=["euid"], condition=~Q(euid=""), name="organisation_unique_euid"
            ),
            # Empty only for a company that registered from abroad or lost its number to the
            # company that proved with eHerkenning that the number is theirs.
            models.CheckConstraint(
                condition=Q(kvk_number="")
                | (Q(kvk_number__regex=r"^[0-9]{8}$") & ~Q(kvk_number="00000000")),
                name="organisation_kvk_number_format",
            ),
            models.CheckConstraint(
                condition=~Q(kind="authority") | ~Q(authority_tier=""),
                name="organisation_authority_has_tier",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.country == "NL" and self.postal_code:
            try:
                dutch_postcode_validator(self.postal_code)
            except ValidationError as error:
                errors["postal_code"] = error.messages
        if self.company_size and self.kind != self.Kind.COMPANY:
            errors["company_size"] = [str(_("Only a company has a size."))]
        if errors:
            raise ValidationError(errors)

    @property
    def is_company(self) -> bool:
        return self.kind == self.Kind.COMPANY


class Role(models.TextChoices):
    PROCUREMENT_OFFICER = "procurement_officer", _("procurement officer")
    APPLICANT = "applicant", _("applicant")
    ASSESSOR = "assessor", _("assessor")
    COMMITTEE_CHAIR = "committee_chair", _("committee chair")
    MINISTRY_STAFF = "ministry_staff", _("ministry staff")


# Which kinds of organisation a role can be held in. Assessors and chairs sit on committees
# for authorities and ministries alike; independent experts join committees directly.
ROLE_ORGANISATION_KINDS: dict[str, set[str]] = {
    # An agency (RVO) runs calls for the authorities that mandate it (calls.Mandate).
    Role.PROCUREMENT_OFFICER: {Organisation.Kind.AUTHORITY, Organisation.Kind.MINISTRY},
    Role.APPLICANT: {Organisation.Kind.COMPANY},
    Role.ASSESSOR: {Organisation.Kind.AUTHORITY, Organisation.Kind.MINISTRY},
    Role.COMMITTEE_CHAIR: {Organisation.Kind.AUTHORITY, Organisation.Kind.MINISTRY},
    Role.MINISTRY_STAFF: {Organisation.Kind.MINISTRY},
}

# Roles that decide about other people's money or proposals must log in with a second factor.
ROLES_REQUIRING_TWO_FACTOR = frozenset(
    {Role.PROCUREMENT_OFFICER, Role.ASSESSOR, Role.COMMITTEE_CHAIR, Role.MINISTRY_STAFF}
)


class TeamRole(models.TextChoices):
    """Within a company: an administrator manages the team, a member works on proposals."""

    ADMINISTRATOR = "administrator", _("administrator")
    MEMBER = "member", _("member")


class Membership(models.Model):
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    team_role = models.CharField(
        _("role in the team"), max_length=20, choices=TeamRole.choices, default=TeamRole.MEMBER
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role"
            )
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"


auditlog.register(User, exclude_fields=["password", "last_login"])
auditlog.register(Organisation)
auditlog.register(Membership)
