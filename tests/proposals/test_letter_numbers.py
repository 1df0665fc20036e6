"""Letter numbers run per authority and year without gaps or doubles, also when many
workers take numbers at the same moment (PostgreSQL, real threads)."""

import pytest
from django.db import transaction

from proposals.models import LetterSequence
from proposals.services.letters import letter_number_format, letter_number_next
from tests.concurrency import require_postgresql, run_at_once
from tests.factories import AuthorityFactory


@pytest.mark.django_db
def test_numbers_run_per_authority_and_year():
    first, second = AuthorityFactory(), AuthorityFactory()
    with transaction.atomic():
        taken = [letter_number_next(authority_id=first.pk, year=2026) for _ in range(3)]
        taken.append(letter_number_next(authority_id=second.pk, year=2026))
        taken.append(letter_number_next(authority_id=first.pk, year=2027))
    assert taken == [1, 2, 3, 1, 1]
    assert letter_number_format(authority_id=first.pk, year=2026, sequence=7).endswith(
        "-2026-00007"
    )


@pytest.mark.django_db(transaction=True)
def test_eight_workers_taking_numbers_at_once_get_one_to_eight():
    require_postgresql()
    authority = AuthorityFactory()

    def take() -> int:
        with transaction.atomic():
            return letter_number_next(authority_id=authority.pk, year=2026)

    results = run_at_once(take, 8)

    assert sorted(results) == list(range(1, 9)), results
    assert LetterSequence.objects.get(authority=authority, year=2026).last == 8


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_letter_gives_its_number_back():
    require_postgresql()
    authority = AuthorityFactory()

    def take_and_fail() -> None:
        with transaction.atomic():
            letter_number_next(authority_id=authority.pk, year=2026)
            raise RuntimeError("rendering failed")

    def take() -> int:
        with transaction.atomic():
            return letter_number_next(authority_id=authority.pk, year=2026)

    results = run_at_once(take_and_fail, 3)
    assert all(isinstance(result, RuntimeError) for result in results)
    assert take() == 1
