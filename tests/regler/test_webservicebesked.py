"""The message queue (WSRM): whose queue, which messages can be delivered (R1.1-h), acknowledgements."""

from __future__ import annotations

from dfdg.regler.aktoer import Actor, Rolle
from dfdg.regler.webservicebesked import (
    MAKS_KVITTERINGER,
    modtager,
    valider_besked,
    valider_kvittering,
)

INDKALDELSE = {"indkaldelseId": 1, "cpr": "0101901234", "jobcenter": "22301", "starttid": "2022-11-01T09:00:00+01:00",
               "sluttid": "2022-11-01T10:00:00+01:00", "moedeform": 1, "status": "aktiv", "lokationsuddybning": None}


def test_R6_2_a_a_jobcentres_queue_is_its_authoritys():
    assert modtager(Actor(Rolle.JOBCENTER, "s", myndighed="22301")) == ("jobcenter", "223")
    assert modtager(Actor(Rolle.AKASSE, "a", myndighed="42")) == ("akasse", "42")
    assert modtager(Actor(Rolle.BORGER, "b", cpr="0101901234")) is None
    assert modtager(Actor(Rolle.PLANNER, "p", myndighed="22301")) is None


def test_R1_1_h_a_message_with_a_blank_text_is_set_aside_not_delivered():
    assert valider_besked("IndkaldelseOprettet", INDKALDELSE) is None
    for blank in ("", " ", "\u00a0\t"):
        assert valider_besked("IndkaldelseOprettet", {**INDKALDELSE, "lokationsuddybning": blank}) == (
            "Feltet 'lokationsuddybning' er en tom tekst")


def test_R1_1_h_a_message_missing_a_required_field_is_set_aside():
    assert valider_besked("IndkaldelseOprettet", {**INDKALDELSE, "starttid": None}) == "Feltet 'starttid' mangler i beskeden"


def test_an_acknowledgement_names_only_the_callers_own_messages():
    assert valider_kvittering([1, 2], {1, 2, 3}) == []
    assert [(f.kode, f.felt, f.besked) for f in valider_kvittering([1, 7, 2, 8], {1, 2})] == [
        (68001, "loebenumre[1]", "Besked 7 findes ikke i din kø"), (68001, "loebenumre[3]", "Besked 8 findes ikke i din kø")]
    [for_mange] = valider_kvittering(list(range(MAKS_KVITTERINGER + 1)), ())
    assert (for_mange.kode, for_mange.felt) == (61011, "loebenumre")
