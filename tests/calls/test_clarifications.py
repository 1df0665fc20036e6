"""Clarification questions (nota van inlichtingen) through the pages people use.

A company asks, the call's officer answers with an anonymised wording and publishes; the
public sees the wording and the answer (never who asked), followers get one e-mail each and
the nota van inlichtingen is a real PDF.
"""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from calls.models import ClarificationQuestion, ClarificationRelease, Follower
from calls.services.clarifications import (
    clarification_answer,
    clarification_ask,
    clarification_publish,
)
from calls.services.lifecycle import call_cancel, calls_close_expired
from portal.models import Role
from tests.conftest import login_verified
from tests.factories import UserFactory, person_with_role

from .factories import draft_call, officer_of, published_call

pytestmark = pytest.mark.django_db

ORIGINAL = (
    "Wij zijn Zonnedak Solutions uit Delft. Mag ons consortium met Windkracht B.V. "
    "ook een prototype in Rotterdam testen?"
)
PUBLIC_WORDING = "Mag een consortium het prototype ook buiten de genoemde gemeente testen?"
ANSWER = "Ja, mits de testlocatie in Nederland ligt.\nVermeld de locatie in het projectplan."


# --- Helpers ------------------------------------------------------------------------------


def company_of(user):
    return user.memberships.get(role=Role.APPLICANT).organisation


def applicant_client(applicant=None, *, english: bool = False):
    applicant = applicant or person_with_role(Role.APPLICANT)
    client = Client()
    client.force_login(applicant)
    if english:
        client.cookies["django_language"] = "en"
    client.user = applicant
    return client


def officer_client(officer, *, english: bool = False):
    client = login_verified(Client(), officer)
    if english:
        client.cookies["django_language"] = "en"
    return client


def ask_url(call):
    return reverse("calls:ask", kwargs={"pk": call.pk})


def manage_url(call):
    return reverse("calls:officer_clarifications", kwargs={"pk": call.pk})


def answer_url(call, question):
    return reverse("calls:officer_answer", kwargs={"pk": call.pk, "question_pk": question.pk})


def publish_url(call):
    return reverse("calls:officer_publish_answers", kwargs={"pk": call.pk})


CONFIRMED = {"confirmed": "1"}


def pdf_url(call, number=1):
    return reverse("calls:clarification_pdf", kwargs={"pk": call.pk, "number": number})


def answer_data(question, *, public_text=PUBLIC_WORDING, answer=ANSWER):
    prefix = f"question-{question.pk}"
    return {f"{prefix}-public_text": public_text, f"{prefix}-answer": answer}


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def normalised(text: str) -> str:
    return " ".join(text.split())


def answered_question(call, *, text=ORIGINAL, applicant=None):
    applicant = applicant or person_with_role(Role.APPLICANT)
    question = clarification_ask(call=call, actor=applicant, text=text)
    return clarification_answer(
        question=question, actor=call.officer, answer=ANSWER, public_text=PUBLIC_WORDING
    )


@pytest.fixture
def call():
    return published_call()


# --- The whole flow -------------------------------------------------------------------------


def test_company_asks_officer_answers_anonymised_and_publishes_for_everyone(
    call, django_capture_on_commit_callbacks
):
    company = applicant_client()
    asker = company.user
    company_name = company_of(asker).name
    other_follower = person_with_role(Role.APPLICANT)
    Follower.objects.create(call=call, user=other_follower)

    # The company asks on the page; it is sent back to the call and now follows it.
    response = company.post(ask_url(call), {"text": ORIGINAL})
    assert response.status_code == 302
    assert response["Location"] == f"{call.get_absolute_url()}#questions"
    question = ClarificationQuestion.objects.get(call=call)
    assert question.text == ORIGINAL
    assert question.organisation == company_of(asker)
    assert Follower.objects.filter(call=call, user=asker).exists()

    # The officer sees the original wording and who asked.
    officer = officer_client(call.officer)
    page = officer.get(manage_url(call)).content.decode()
    assert ORIGINAL in page
    assert company_name in page
    assert asker.full_name in page

    response = officer.post(answer_url(call, question), answer_data(question))
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == ClarificationQuestion.Status.ANSWERED
    assert question.public_text == PUBLIC_WORDING

    # Nothing is public until the officer publishes.
    assert PUBLIC_WORDING not in Client().get(call.get_absolute_url()).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(publish_url(call), CONFIRMED)
    assert response.status_code == 302
    release = ClarificationRelease.objects.get(call=call)
    assert release.number == 1
    question.refresh_from_db()
    assert question.status == ClarificationQuestion.Status.PUBLISHED
    assert question.release == release

    # One e-mail per follower, each addressed to one person only.
    assert len(mail.outbox) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([asker.email, other_follower.email])
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    assert all(call.reference in m.subject for m in mail.outbox)

    # The public page shows the wording and the answer, never the original or the company.
    public = Client().get(call.get_absolute_url())
    assert public.status_code == 200
    html = public.content.decode()
    assert PUBLIC_WORDING in html
    assert "Ja, mits de testlocatie in Nederland ligt." in html
    assert "Zonnedak" not in html
    assert company_name not in html
    assert asker.full_name not in html
    assert pdf_url(call) in html

    # The PDF was rendered by the task: a real document with the same content.
    release.refresh_from_db()
    assert release.pdf
    stored = release.pdf.read()
    pages, text = pdf_text(stored)
    assert pages >= 1
    assert PUBLIC_WORDING in normalised(text)
    assert "Ja, mits de testlocatie in Nederland ligt." in normalised(text)
    assert "Zonnedak" not in text
    assert company_name not in text
    assert call.reference in text
    # The link on the page serves that same rendered file.
    served = Client().get(pdf_url(call))
    assert served.status_code == 200
    assert served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content) == stored


def test_every_follower_is_mailed_by_the_one_publish_request(
    call, django_capture_on_commit_callbacks
):
    answered_question(call)  # the asker follows
    others = [person_with_role(Role.APPLICANT) for _ in range(3)]
    Follower.objects.bulk_create(Follower(call=call, user=user) for user in others)
    officer = officer_client(call.officer)

    with django_capture_on_commit_callbacks(execute=True):
        officer.post(publish_url(call), CONFIRMED)

    assert len(mail.outbox) == 4
    assert {m.to[0] for m in mail.outbox} >= {user.email for user in others}
    assert len({m.subject for m in mail.outbox}) == 1


def test_pdf_has_page_numbers_and_every_release_so_far(call, django_capture_on_commit_callbacks):
    answered_question(call)
    clarification_publish(call=call, actor=call.officer)
    question = clarification_ask(
        call=call, actor=person_with_role(Role.APPLICANT), text="Tweede vraag van Acme"
    )
    clarification_answer(
        question=question,
        actor=call.officer,
        answer="Tweede antwoord.",
        public_text="Tweede vraag, geanonimiseerd",
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = clarification_publish(call=call, actor=call.officer)

    second.refresh_from_db()
    pages, text = pdf_text(second.pdf.read())
    text = normalised(text)
    # "pagina 1 van 1" once the Dutch catalogue has the msgid; "page 1 of 1" before.
    assert re.search(rf"(pagina|page) 1 (van|of) {pages}\b", text)
    assert "Nota van inlichtingen 2" in text
    assert PUBLIC_WORDING in text
    assert "Tweede vraag, geanonimiseerd" in text
    assert "Tweede antwoord." in text
    assert "Acme" not in text


def test_pdf_not_yet_rendered_is_rendered_when_someone_asks_for_it(call):
    answered_question(call)
    # Without running the on-commit callbacks, the background task never ran.
    release = clarification_publish(call=call, actor=call.officer)
    assert not release.pdf

    response = Client().get(pdf_url(call))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "nota-van-inlichtingen" in response["Content-Disposition"]
    pages, text = pdf_text(b"".join(response.streaming_content))
    assert pages >= 1
    assert PUBLIC_WORDING in normalised(text)
    release.refresh_from_db()
    assert release.pdf
    # The next reader gets the stored file; it is not rendered again.
    again = Client().get(pdf_url(call))
    assert pdf_text(b"".join(again.streaming_content))[0] == pages
    assert ClarificationRelease.objects.get(pk=release.pk).pdf.name == release.pdf.name


def test_pdf_of_an_unknown_release_or_an_invisible_call_is_404(call):
    assert Client().get(pdf_url(call, number=1)).status_code == 404
    draft = draft_call()
    assert Client().get(pdf_url(draft)).status_code == 404
    assert Client().get(reverse("calls:clarification_pdf", args=[999999, 1])).status_code == 404


# --- Asking -------------------------------------------------------------------------------


def test_after_asking_the_call_page_confirms_the_question(call):
    response = applicant_client(english=True).post(ask_url(call), {"text": ORIGINAL}, follow=True)
    assert response.status_code == 200
    assert b"Your question was received" in response.content
    # The question itself stays hidden until its answer is published.
    assert ORIGINAL not in response.content.decode()


def test_ask_page_shows_the_form_to_a_company(call):
    response = applicant_client().get(ask_url(call))
    assert response.status_code == 200
    assert b'id="clarification-text"' in response.content
    assert call.reference.encode() in response.content


def test_anonymous_is_sent_to_log_in_before_asking(call):
    for response in (Client().get(ask_url(call)), Client().post(ask_url(call), {"text": "?"})):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        assert "next=" in response["Location"]
    assert not ClarificationQuestion.objects.exists()


@pytest.mark.parametrize("role", [Role.PROCUREMENT_OFFICER, Role.MINISTRY_STAFF, Role.ASSESSOR])
def test_only_companies_can_ask(call, role):
    client = officer_client(person_with_role(role))
    assert client.get(ask_url(call)).status_code == 403
    assert client.post(ask_url(call), {"text": "Mag dit?"}).status_code == 403
    # Not even the call's own officer.
    own = officer_client(call.officer)
    assert own.post(ask_url(call), {"text": "Mag dit?"}).status_code == 403
    assert not ClarificationQuestion.objects.exists()


def test_asking_about_another_authoritys_draft_is_404(call):
    draft = draft_call()
    response = applicant_client().post(ask_url(draft), {"text": "Bestaat deze call?"})
    assert response.status_code == 404
    assert applicant_client().get(ask_url(draft)).status_code == 404
    assert not ClarificationQuestion.objects.exists()


def test_asking_after_the_questions_deadline_is_refused_and_keeps_the_text(call):
    with time_machine.travel(call.questions_deadline + timedelta(minutes=1)):
        company = applicant_client(english=True)  # a fresh login: sessions last 8 hours
        response = company.post(ask_url(call), {"text": "Een late vraag over de termijn"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "Questions could be asked until" in html
    assert "Een late vraag over de termijn" in html  # nothing lost
    assert not ClarificationQuestion.objects.exists()
    assert not Follower.objects.filter(call=call).exists()


def test_ask_page_after_the_deadline_says_asking_is_closed_without_a_form(call):
    with time_machine.travel(call.questions_deadline + timedelta(minutes=1)):
        response = applicant_client(english=True).get(ask_url(call))
    assert response.status_code == 200
    assert b"Asking questions about this call is closed." in response.content
    assert b'id="clarification-text"' not in response.content


def test_an_empty_question_is_refused(call):
    response = applicant_client(english=True).post(ask_url(call), {"text": "   \n  "})
    assert response.status_code == 200
    assert response.context["form"].errors["text"] == ["Write your question."]
    assert b"Write your question." in response.content
    assert not ClarificationQuestion.objects.exists()


def test_a_too_long_question_is_refused_with_the_text_kept(call):
    text = "Lange vraag " + "x" * 5000
    response = applicant_client().post(ask_url(call), {"text": text})
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    assert text in response.content.decode()
    assert not ClarificationQuestion.objects.exists()


def test_asking_about_a_cancelled_call_is_refused_with_the_text_kept(call):
    call_cancel(call=call, actor=call.officer, reason="Budget ingetrokken")
    response = applicant_client().post(ask_url(call), {"text": "Gaat het nog door?"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "Gaat het nog door?" in response.content.decode()
    assert not ClarificationQuestion.objects.exists()


# --- The section on the call's public page ------------------------------------------------


def test_call_page_offers_the_ask_form_to_a_company(call):
    html = applicant_client().get(call.get_absolute_url()).content.decode()
    assert 'id="questions"' in html
    assert f'action="{ask_url(call)}"' in html
    assert 'id="clarification-text"' in html


def test_call_page_asks_anonymous_visitors_to_log_in_first(call):
    html = Client().get(call.get_absolute_url()).content.decode()
    assert 'id="questions"' in html
    assert f"{reverse('login')}?next=" in html
    assert 'id="clarification-text"' not in html


def test_call_page_shows_the_questions_deadline_with_its_time_zone(call):
    html = Client().get(call.get_absolute_url()).content.decode()
    assert "CET" in html or "CEST" in html


def test_call_page_says_asking_is_closed_after_the_questions_deadline(call):
    with time_machine.travel(call.questions_deadline + timedelta(minutes=1)):
        html = applicant_client().get(call.get_absolute_url()).content.decode()
    assert 'data-testid="questions-closed"' in html
    assert 'id="clarification-text"' not in html


def test_call_page_shows_no_ask_form_to_officers_but_the_manage_link_to_its_own(call):
    own = officer_client(call.officer).get(call.get_absolute_url()).content.decode()
    assert manage_url(call) in own
    assert 'id="clarification-text"' not in own
    other = officer_client(officer_of()).get(call.get_absolute_url()).content.decode()
    assert manage_url(call) not in other
    assert 'id="clarification-text"' not in other


# --- The officer's page: who may see it -------------------------------------------------------


def outsiders():
    return {
        "applicant": lambda: applicant_client(),
        "ministry staff": lambda: officer_client(person_with_role(Role.MINISTRY_STAFF)),
        "officer of another authority": lambda: officer_client(officer_of()),
    }


@pytest.mark.parametrize("who", list(outsiders()))
def test_outsiders_get_404_on_every_officer_page(call, who):
    question = clarification_ask(call=call, actor=person_with_role(Role.APPLICANT), text=ORIGINAL)
    client = outsiders()[who]()

    assert client.get(manage_url(call)).status_code == 404
    assert client.post(answer_url(call, question), answer_data(question)).status_code == 404
    assert client.post(publish_url(call)).status_code == 404
    question.refresh_from_db()
    assert question.status == ClarificationQuestion.Status.ASKED
    assert ORIGINAL not in client.get(manage_url(call)).content.decode()


def test_anonymous_is_sent_to_log_in_on_every_officer_page(call):
    question = clarification_ask(call=call, actor=person_with_role(Role.APPLICANT), text=ORIGINAL)
    for response in (
        Client().get(manage_url(call)),
        Client().post(answer_url(call, question), answer_data(question)),
        Client().post(publish_url(call)),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    assert not ClarificationRelease.objects.exists()


def test_owning_officer_reaches_every_officer_page(call):
    question = clarification_ask(call=call, actor=person_with_role(Role.APPLICANT), text=ORIGINAL)
    client = officer_client(call.officer)

    assert client.get(manage_url(call)).status_code == 200
    assert client.post(answer_url(call, question), answer_data(question)).status_code == 302
    assert client.post(publish_url(call), CONFIRMED).status_code == 302
    assert ClarificationRelease.objects.filter(call=call).count() == 1


def test_a_colleague_at_the_same_authority_manages_the_call_too(call):
    colleague = officer_of(call.authority)
    assert officer_client(colleague).get(manage_url(call)).status_code == 200


def test_officer_without_second_factor_is_sent_to_verify_it(call):
    client = Client()
    client.force_login(call.officer)
    response = client.get(manage_url(call))
    assert response.status_code == 302
    assert reverse("login") not in response["Location"]
    assert "two-factor" in response["Location"]


def test_officer_pages_of_another_authoritys_draft_are_404(call):
    draft = draft_call()
    client = officer_client(call.officer)
    assert client.get(manage_url(draft)).status_code == 404
    assert client.post(publish_url(draft)).status_code == 404


def test_officer_pages_refuse_the_wrong_method(call):
    question = clarification_ask(call=call, actor=person_with_role(Role.APPLICANT), text=ORIGINAL)
    client = officer_client(call.officer)
    assert client.get(answer_url(call, question)).status_code == 405
    assert client.post(manage_url(call)).status_code == 405


# --- The officer's page: what it does ----------------------------------------------------------


def test_answering_a_question_of_another_call_through_the_url_is_404(call):
    own_second_call = published_call(officer=call.officer)
    foreign_call = published_call()
    client = officer_client(call.officer)
    for other in (own_second_call, foreign_call):
        question = clarification_ask(
            call=other, actor=person_with_role(Role.APPLICANT), text=ORIGINAL
        )
        response = client.post(answer_url(call, question), answer_data(question))
        assert response.status_code == 404
        question.refresh_from_db()
        assert question.status == ClarificationQuestion.Status.ASKED
        assert question.answer == ""


def test_the_answer_form_is_prefilled_with_the_original_wording(call):
    question = clarification_ask(call=call, actor=person_with_role(Role.APPLICANT), text=ORIGINAL)
    response = officer_client(call.officer).get(manage_url(call))
    form = next(q.form for q in response.context["asked"] if q.pk == question.pk)
    assert form["public_text"].value() == ORIGINAL
    assert f'id="id_question-{question.pk}-public_text"' in response.content.decode()


def test_an_empty_answer_is_refused_and_the_typed_wording_kept(call):
    question = clarification_ask(call=call, actor=person_with_role(Role.APPLICANT), text=ORIGINAL)
    client = officer_client(call.officer, english=True)

    response = client.post(
        answer_url(call, question), answer_data(question, answer="  ", public_text="Nieuwe tekst")
    )

    assert response.status_code == 200
    assert b"Write the answer." in response.content
    assert "Nieuwe tekst" in response.content.decode()
    question.refresh_from_db()
    assert question.status == ClarificationQuestion.Status.ASKED
    assert question.public_text == ""


def test_an_answer_can_be_changed_until_it_is_published(call):
    question = answered_question(call)
    client = officer_client(call.officer)
    response = client.post(
        answer_url(call, question), answer_data(question, answer="Nee, alleen in de gemeente.")
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer == "Nee, alleen in de gemeente."


def test_a_published_answer_cannot_be_edited(call):
    question = answered_question(call)
    clarification_publish(call=call, actor=call.officer)
    client = officer_client(call.officer, english=True)

    response = client.post(
        answer_url(call, question), answer_data(question, answer="Stiekem gewijzigd.")
    )

    assert response.status_code == 200
    assert b"This answer is published already" in response.content
    question.refresh_from_db()
    assert question.answer == ANSWER


def test_publishing_asks_first_and_only_a_confirmed_post_publishes(call):
    question = answered_question(call)
    client = officer_client(call.officer, english=True)

    asked = client.get(publish_url(call))
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Publish nota van inlichtingen 1?" in page
    assert question.public_text in page
    assert "cannot be changed or withdrawn" in page
    unconfirmed = client.post(publish_url(call))
    assert unconfirmed.status_code == 200
    assert 'data-testid="confirm-summary"' in unconfirmed.content.decode()
    assert not ClarificationRelease.objects.exists()

    done = client.post(publish_url(call), CONFIRMED)

    assert done.status_code == 302
    assert ClarificationRelease.objects.filter(call=call).count() == 1
    question.refresh_from_db()
    assert question.status == ClarificationQuestion.Status.PUBLISHED


def test_publishing_with_nothing_answered_gives_a_message_and_no_release(call):
    clarification_ask(call=call, actor=person_with_role(Role.APPLICANT), text=ORIGINAL)
    client = officer_client(call.officer, english=True)

    response = client.post(publish_url(call), follow=True)

    assert b"There are no answered questions to publish." in response.content
    assert not ClarificationRelease.objects.exists()
    assert not mail.outbox


def test_a_double_click_on_publish_makes_one_release(call, django_capture_on_commit_callbacks):
    answered_question(call)
    client = officer_client(call.officer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(publish_url(call), CONFIRMED)
        client.post(publish_url(call), CONFIRMED)
    assert ClarificationRelease.objects.filter(call=call).count() == 1
    assert len(mail.outbox) == 1


def test_publishing_after_the_call_closed_gives_a_message(call):
    answered_question(call)
    with time_machine.travel(call.deadline + timedelta(minutes=1)):
        calls_close_expired()
        client = officer_client(call.officer, english=True)
        response = client.post(publish_url(call), follow=True)
    assert b"Answers can only be published while the call is open." in response.content
    assert not ClarificationRelease.objects.exists()


def test_officer_page_groups_questions_by_status(call):
    asked = clarification_ask(call=call, actor=person_with_role(Role.APPLICANT), text="Open?")
    answered = answered_question(call, text="Beantwoord?")
    published = answered_question(call, text="Gepubliceerd?")
    clarification_publish(call=call, actor=call.officer)
    answered.refresh_from_db()
    # `answered` was published together with `published`; answer a fresh one.
    fresh = answered_question(call, text="Vers beantwoord?")

    response = officer_client(call.officer).get(manage_url(call))

    assert [q.pk for q in response.context["asked"]] == [asked.pk]
    assert [q.pk for q in response.context["answered"]] == [fresh.pk]
    assert {q.pk for q in response.context["published"]} == {answered.pk, published.pk}
    assert response.context["next_number"] == 2


def seed_questions(call, count: int) -> None:
    statuses = ["asked", "answered", "published"]
    for i in range(count):
        applicant = person_with_role(Role.APPLICANT)
        question = clarification_ask(call=call, actor=applicant, text=f"Vraag {i}")
        if statuses[i % 3] != "asked":
            clarification_answer(
                question=question, actor=call.officer, answer="Antwoord", public_text=f"Vraag {i}"
            )
        if statuses[i % 3] == "published":
            clarification_publish(call=call, actor=call.officer)


def test_officer_page_runs_a_constant_number_of_queries(call):
    client = officer_client(call.officer)
    client.get(manage_url(call))  # warm up the session and the second-factor check

    seed_questions(call, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(manage_url(call)).status_code == 200
    seed_questions(call, 40)
    with CaptureQueriesContext(connection) as many:
        response = client.get(manage_url(call))
        assert response.status_code == 200

    groups = [response.context[name] for name in ("asked", "answered", "published")]
    assert sum(group.paginator.count for group in groups) == 43
    assert all(len(group) <= 25 for group in groups)  # each group comes in pages
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_call_page_with_answers_runs_a_constant_number_of_queries(call):
    client = Client()
    seed_questions(call, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(call.get_absolute_url()).status_code == 200
    seed_questions(call, 40)
    with CaptureQueriesContext(connection) as many:
        response = client.get(call.get_absolute_url())
    published = call.clarification_questions.filter(status="published").count()
    assert published > 20
    assert response.content.decode().count('data-testid="clarification"') == published
    assert len(many) == len(few)


def test_the_call_page_offers_answering_only_to_whoever_may_answer(call, client):
    """The link follows the same rules as the page it opens: a superuser, who has no blanket
    yes there, is not sent to a 404."""
    link = reverse("calls:officer_clarifications", kwargs={"pk": call.pk})
    superuser = UserFactory(is_staff=True, is_superuser=True)

    officer_page = login_verified(Client(), call.officer).get(call.get_absolute_url())
    superuser_client = login_verified(Client(), superuser)
    superuser_page = superuser_client.get(call.get_absolute_url())

    assert link in officer_page.content.decode()
    assert link not in superuser_page.content.decode()
    assert superuser_client.get(link).status_code == 404
