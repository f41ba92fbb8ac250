"""kodelister: every code list of release 2022-3, expired codes included (CODELISTS.md)."""

from __future__ import annotations

import pytest

from tests import factories as f

FELTER = "id navn beskrivelse gyldigFra gyldigTil udgaaet"
KODELISTER = f"""
{{
  kodelister {{
    moedeformer {{ {FELTER} borgervalg kraeverLink }}
    fravaerstyper {{ {FELTER} fritagerSelvbooking ingenSelvbookingfrist mindreIntensiv ingenDagpenge }}
    kontaktgrupper {{ {FELTER} }}
    ophoersaarsager {{ {FELTER} kunVitas }}
    jobordrestatusser {{ {FELTER} tilladerFormidling }}
    formidlingsstatustyper {{ {FELTER} }}
    samtaletyper {{ {FELTER} }}
  }}
}}
"""


@pytest.fixture(scope="module")
async def lister(api):
    data = await api.data(KODELISTER, token=api.jobcenter("10100"))
    return {navn: {k["id"]: k for k in koder} for navn, koder in data["kodelister"].items()}


def test_every_list_is_present_and_sorted_by_id(lister):
    assert set(lister) == {"moedeformer", "fravaerstyper", "kontaktgrupper", "ophoersaarsager",
                           "jobordrestatusser", "formidlingsstatustyper", "samtaletyper"}
    for navn, koder in lister.items():
        assert koder, navn
        assert list(koder) == sorted(koder), navn


def test_R1_1_d_moedeformer_with_expired_and_new_codes(lister):
    m = lister["moedeformer"]
    assert sorted(m) == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert {i for i, k in m.items() if k["udgaaet"]} == {4, 5, 6, 7}
    assert m[4]["gyldigTil"] == m[5]["gyldigTil"] == "2022-09-19"
    assert m[6]["gyldigTil"] < "2022-09-19" and m[7]["gyldigTil"] < "2022-09-19"
    assert m[8]["gyldigFra"] == m[9]["gyldigFra"] == "2022-09-19"
    assert m[8]["gyldigTil"] is None and m[9]["gyldigTil"] is None
    assert (m[8]["navn"], m[9]["navn"]) == ("Digitalt møde", "Ingen direkte borgerkontakt")
    assert m[8]["beskrivelse"].startswith("Kontakten foregår digitalt")
    # R1.1-a: the citizen chooses among 1, 2 and 8; R1.1-e: 8 requires a link
    assert {i for i, k in m.items() if k["borgervalg"]} == {1, 2, 8}
    assert {i for i, k in m.items() if k["kraeverLink"]} == {8}


def test_R2_3_a_new_descriptions_of_absence_types_4_8_23_24(lister):
    t = lister["fravaerstyper"]
    assert t[4]["navn"] == "Barsel (max 14 dage)"
    assert t[4]["beskrivelse"] == "Barsel (max 14 dage) - fædreorlov/medmødreorlov"
    assert t[8]["navn"] == "Barsel"
    assert t[8]["beskrivelse"] == "Barsel - graviditetsorlov, barselsorlov og forældreorlov"
    assert t[23]["navn"] == "Jobrettet uddannelse (deltid)"
    assert t[23]["beskrivelse"] == "Jobrettet uddannelse (deltid) – fritaget for aktivering"
    assert t[24]["navn"] == "Jobrettet uddannelse (fuldtid)"
    assert t[24]["beskrivelse"] == "Jobrettet uddannelse (fuldtid) – fritaget for aktivering og kontaktforløb"


def test_R2_2_a_type_78_is_present_and_expired_at_the_release(lister):
    t = lister["fravaerstyper"]
    assert t[78]["udgaaet"] is True and t[78]["gyldigTil"] == "2022-09-19"
    assert {i for i, k in t.items() if k["udgaaet"]} == {78}


def test_R2_4_a_flags_of_the_absence_types(lister):
    t = lister["fravaerstyper"]
    assert {i for i, k in t.items() if k["fritagerSelvbooking"]} == {
        2, 3, 4, 10, 11, 23, 24, 43, 44, 45, 46, 56, 57, 65, 66, 70, 71, 72, 73, 75, 77, 78, 79}
    assert {i for i, k in t.items() if k["ingenSelvbookingfrist"]} == {56, 57, 75}
    assert {i for i, k in t.items() if k["mindreIntensiv"]} == {43, 44, 45, 46, 71, 73}  # R5.1-a
    assert {i for i, k in t.items() if k["ingenDagpenge"]} == {79}  # R2.1-a
    assert t[79]["navn"] == "Sorgorlov"


def test_kontaktgrupper_1_to_8_and_10_to_29_without_9(lister):
    k = lister["kontaktgrupper"]
    assert sorted(k) == [*range(1, 9), *range(10, 30)]
    assert k[1]["navn"] == "Dagpengemodtager" and k[7]["navn"] == "Fleksjobvisiteret (ledig)"
    assert k[2]["navn"] == "Kontaktgruppe 2"
    assert not any(x["udgaaet"] for x in k.values())


def test_R3_1_a_ophoersaarsager_14_and_15_only_for_vitas(lister):
    o = lister["ophoersaarsager"]
    assert sorted(o) == list(range(1, 16))
    assert {i for i, k in o.items() if k["kunVitas"]} == {14, 15}
    assert o[14]["navn"] == "Bevilling ikke godkendt"
    assert o[14]["beskrivelse"] == ("Virksomhed, jobcenter eller borger har ikke godkendt bevillingen "
                                    "eller har trukket bevillingen tilbage")
    assert o[15]["navn"] == "Aktivitetsperioden afsluttet ordinært"
    assert o[15]["beskrivelse"] == "Bevillingen er lukket efter ordinært udløb"
    assert o[14]["gyldigFra"] == o[15]["gyldigFra"] == "2022-09-19"


def test_R6_1_a_jobordrestatusser_and_formidlingsstatustyper(lister):
    s = lister["jobordrestatusser"]
    assert {i: k["navn"] for i, k in s.items()} == {1: "Åben", 2: "Midlertidig inaktiv", 3: "Lukket"}
    assert {i for i, k in s.items() if k["tilladerFormidling"]} == {1}
    assert {i: k["navn"] for i, k in lister["formidlingsstatustyper"].items()} == {2: "Formidling tilgængelig for virksomhed"}


def test_samtaletyper(lister):
    assert {i: k["navn"] for i, k in lister["samtaletyper"].items()} == {
        4: "Opfølgningssamtale", 7: "Jobsamtale", 8: "Henvisning", 9: "Informationsmøde", 10: "CV-samtale",
        11: "Formidlingssamtale", 12: "Anden samtale", 13: "Informationsmøde uden mødepligt", 15: "Rådighedssamtale",
    }


def test_validity_intervals_are_closed_open(lister):
    for navn, koder in lister.items():
        for k in koder.values():
            assert k["gyldigTil"] is None or k["gyldigFra"] < k["gyldigTil"], (navn, k)


async def test_kodelister_need_a_token(api):
    body = await api(KODELISTER)
    assert f.fejlkoder(body) == ["UNAUTHENTICATED"]
    assert body["data"] is None
