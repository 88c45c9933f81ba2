"""The session service's telephone network: call-out is the account's, the answered phone can be your audio."""

from __future__ import annotations

from harness.service import telephone


def test_a_country_the_account_may_dial_rings_and_is_answered() -> None:
    outcome = telephone.dial_out({"call_out_countries": ["+1"]}, 7, {"countryCode": "+1", "phoneNumber": "5550100"})
    assert [m["code"] for m in outcome.states] == [
        telephone.CALLING,
        telephone.RINGING,
        telephone.ACCEPTED,
        telephone.SUCCESS,
    ]
    assert {m["phoneNumber"] for m in outcome.states} == {"5550100"}
    assert len({m["uuid"] for m in outcome.states}) == 1
    assert not outcome.phone_audio


def test_call_me_makes_the_answered_phone_the_callers_audio() -> None:
    request = {"countryCode": "+1", "phoneNumber": "5550100", "callMe": True}
    assert telephone.dial_out({"call_out_countries": ["+1"]}, 7, request).phone_audio


def test_any_other_country_fails_and_changes_no_audio() -> None:
    request = {"countryCode": "+44", "phoneNumber": "5550100", "callMe": True}
    outcome = telephone.dial_out({"call_out_countries": ["+1"]}, 7, request)
    assert [m["code"] for m in outcome.states] == [telephone.FAIL]
    assert not outcome.phone_audio
