"""Issue 14, point 9: codes such as ``butuh_perbaikan`` read as words wherever stored values are shown to people."""

from smartoffice.labels import field_words


def test_a_rules_document_s_ratings_read_as_words_in_both_languages() -> None:
    rules = {"max_remote_days_per_week": 2, "eligibility": {"ratings": ["sangat_baik", "butuh_perbaikan"]}}

    assert field_words("id", "rules", rules) == {
        "max_remote_days_per_week": 2,
        "eligibility": {"ratings": ["Sangat Baik", "Butuh Perbaikan"]},
    }
    assert field_words("en", "rules", rules)["eligibility"]["ratings"] == ["Very good", "Needs improvement"]


def test_fields_of_an_audit_entry_read_as_words() -> None:
    assert field_words("id", "rating", "butuh_perbaikan") == "Butuh Perbaikan"
    assert field_words("en", "planned", "home") == "Home (WFH)"
    assert field_words("en", "status", "pending", "Exemption") == "Awaiting the unit head's decision"
    assert field_words("en", "status", "pending", "Booking") == "Awaiting approval"


def test_what_is_not_a_known_code_is_left_as_it_is() -> None:
    assert field_words("id", "status", "pending") == "pending"  # whose status is not known
    assert field_words("id", "rating", "luar biasa") == "luar biasa"
    assert field_words("id", "name", "butuh_perbaikan") == "butuh_perbaikan"
