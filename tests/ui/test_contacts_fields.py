"""Contact form values -> Graph fields: validation and sanitising (no widgets)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from olk_tui.domain.contacts import Contact, PhysicalAddress
from olk_tui.domain.ids import ContactId
from olk_tui.domain.mail import Recipient
from olk_tui.ui.contacts.fields import (
    FORM_FIELDS,
    FormError,
    detail_text,
    form_values,
    to_graph,
)


def test_needs_a_name_or_an_email() -> None:
    with pytest.raises(FormError) as caught:
        to_graph({"company_name": "Contoso"})
    assert "name or an email" in str(caught.value)
    only_email = to_graph({"emails": "ann@contoso.example"})
    assert only_email["displayName"] == "ann@contoso.example"
    only_name = to_graph({"given_name": "Ann", "surname": "Lee"})
    assert only_name["displayName"] == "Ann Lee" and only_name["emailAddresses"] == []


def test_bad_email_and_birthday_are_refused() -> None:
    with pytest.raises(FormError) as caught:
        to_graph({"given_name": "Ann", "emails": "ann at contoso"})
    assert caught.value.key == "emails"
    with pytest.raises(FormError) as caught:
        to_graph({"given_name": "Ann", "birthday": "23/04/1990"})
    assert caught.value.key == "birthday"


def test_round_trip_of_an_existing_contact() -> None:
    contact = Contact(id=ContactId("c"), display_name="Rosa Jensen", given_name="Rosa",
                      surname="Jensen",
                      emails=(Recipient("rosa@contoso.example", "Rosa Jensen"),),
                      business_phones=("+1 1", "+1 2"), company_name="Contoso",
                      business_address=PhysicalAddress(city="Redmond"),
                      birthday=date(1984, 4, 23), personal_notes="line 1\nline 2")
    fields = to_graph(form_values(contact))
    assert fields["emailAddresses"] == [{"address": "rosa@contoso.example",
                                         "name": "Rosa Jensen"}]
    assert fields["businessPhones"] == ["+1 1", "+1 2"]
    assert fields["businessAddress"]["city"] == "Redmond"
    assert fields["birthday"] == "1984-04-23T00:00:00Z"
    assert fields["personalNotes"] == "line 1\nline 2"
    assert "Redmond" in detail_text(contact).plain


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from([k for k, _ in FORM_FIELDS]), st.text(max_size=60)))
def test_any_input_gives_clean_fields_or_a_form_error(values: dict[str, str]) -> None:
    try:
        fields = to_graph(values)
    except FormError:
        return
    for key, value in fields.items():
        if isinstance(value, str):
            assert all(c.isprintable() or (key == "personalNotes" and c in "\n\t")
                       for c in value), key
