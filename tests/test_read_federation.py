"""Federation (_service, _entities) and Relay object identification (node(id:)) for every Node type."""

from __future__ import annotations

import base64
import re
from datetime import date

import pytest

from dfdg.schema.node import to_global_id
from tests import factories as f

# --- _service -------------------------------------------------------------------------------------

async def test_service_sdl_declares_the_entity_keys(api):
    body = await api("{ _service { sdl } }")  # gateways fetch the SDL without a caller token
    sdl = body["data"]["_service"]["sdl"]
    for typename, key in (("Borger", "cpr"), ("Virksomhed", "cvrNummer"), ("Jobordre", "id"), ("Indkaldelse", "id")):
        assert re.search(rf'type {typename} implements Node @key\(fields: "{key}"\)', sdl), typename
    assert "specs.apollo.dev/federation/v2" in sdl


# --- _entities ------------------------------------------------------------------------------------

ENTITIES = """
query($r: [_Any!]!) {
  _entities(representations: $r) {
    __typename
    ... on Borger { cpr navn }
    ... on Virksomhed { cvrNummer navn }
    ... on Jobordre { id titel }
    ... on Indkaldelse { id sted }
  }
}
"""


async def test_entities_100_borgere_in_order_with_null_for_unknown_in_bounded_statements(api, engine):
    jc = await f.jobcenter(engine)
    kendte = [(await f.borger(engine, jobcenter_nummer=jc["nummer"], fornavn=f"B{i}"))["cpr"] for i in range(60)]
    ukendte = []
    while len(ukendte) < 40:
        cpr = f.ny_cpr()
        if cpr not in kendte:
            ukendte.append(cpr)
    # interleave: two known, then one unknown, ...
    cprs, k, u = [], iter(kendte), iter(ukendte)
    for i in range(100):
        cprs.append(next(u) if i % 5 in (1, 3) else next(k))
    body = await api(ENTITIES, {"r": [{"__typename": "Borger", "cpr": c} for c in cprs]}, token=api.jobcenter(jc["nummer"]))
    assert "errors" not in body, body["errors"]
    got = body["data"]["_entities"]
    assert len(got) == 100
    for cpr, entity in zip(cprs, got):
        if cpr in ukendte:
            assert entity is None
        else:
            assert entity["__typename"] == "Borger" and entity["cpr"] == cpr
    assert body["extensions"]["sql"]["statements"] <= 3


async def test_entities_of_every_keyed_type(api, engine):
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], fornavn="Eva", efternavn="Holm")
    v = await f.virksomhed(engine, navn="Fabrikken A/S")
    jo = await f.jobordre(engine, v["cvr_nummer"], jc["nummer"], titel="Smed")
    i = await f.indkaldelse(engine, b["cpr"], jc["nummer"], sted="Jobhuset")
    reps = [
        {"__typename": "Borger", "cpr": b["cpr"]},
        {"__typename": "Virksomhed", "cvrNummer": v["cvr_nummer"]},
        {"__typename": "Jobordre", "id": to_global_id("Jobordre", jo["id"])},
        {"__typename": "Indkaldelse", "id": to_global_id("Indkaldelse", i["id"])},
        {"__typename": "Virksomhed", "cvrNummer": f.ny_cvr()},
        {"__typename": "Jobordre", "id": to_global_id("Jobordre", 10**15)},
        {"__typename": "Indkaldelse", "id": to_global_id("Indkaldelse", 10**15)},
    ]
    body = await api(ENTITIES, {"r": reps}, token=api.jobcenter(jc["nummer"]))
    assert "errors" not in body, body["errors"]
    assert body["data"]["_entities"] == [
        {"__typename": "Borger", "cpr": b["cpr"], "navn": "Eva Holm"},
        {"__typename": "Virksomhed", "cvrNummer": v["cvr_nummer"], "navn": "Fabrikken A/S"},
        {"__typename": "Jobordre", "id": to_global_id("Jobordre", jo["id"]), "titel": "Smed"},
        {"__typename": "Indkaldelse", "id": to_global_id("Indkaldelse", i["id"]), "sted": "Jobhuset"},
        None, None, None,
    ]


@pytest.mark.parametrize("typename", ["Borger", "Indkaldelse", "Jobordre", "Virksomhed"])
async def test_entities_need_a_token_whether_or_not_the_key_exists(api, engine, typename):
    """No caller may learn from _entities which keys exist without a token."""
    b = await f.borger(engine)
    v = await f.virksomhed(engine)
    jo = await f.jobordre(engine, v["cvr_nummer"], b["jobcenter_nummer"])
    i = await f.indkaldelse(engine, b["cpr"], b["jobcenter_nummer"])
    kendt, ukendt = {
        "Borger": ({"cpr": b["cpr"]}, {"cpr": f.ny_cpr()}),
        "Indkaldelse": ({"id": to_global_id("Indkaldelse", i["id"])}, {"id": to_global_id("Indkaldelse", 10**15)}),
        "Jobordre": ({"id": to_global_id("Jobordre", jo["id"])}, {"id": to_global_id("Jobordre", 10**15)}),
        "Virksomhed": ({"cvrNummer": v["cvr_nummer"]}, {"cvrNummer": f.ny_cvr()}),
    }[typename]
    body = await api(ENTITIES, {"r": [{"__typename": typename, **kendt}, {"__typename": typename, **ukendt}]})
    assert f.fejlkoder(body) == ["UNAUTHENTICATED", "UNAUTHENTICATED"]


async def test_entities_malformed_representations_are_bad_user_input_in_place(api, engine):
    """A router or integrator sending a representation this subgraph cannot resolve learns which
    one and why (BAD_USER_INPUT at its index), and the rest of the list is still answered."""
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], fornavn="Eva", efternavn="Holm")
    reps = [
        {"__typename": "Borger", "cpr": b["cpr"]},
        {"cpr": b["cpr"]},                                   # no __typename
        {"__typename": "Fravaer", "id": "1"},                # not an entity here
        {"__typename": "Nabo", "id": "1"},                   # no such type
        {"__typename": "Borger"},                            # no key
        {"__typename": "Borger", "cpr": b["cpr"], "navn": "x"},  # a field that is not the key
        {"__typename": "Borger", "cpr": 101901234},          # a key of the wrong type
        "Borger",                                            # not an object
        {"__typename": "Borger", "cpr": b["cpr"]},
    ]
    body = await api(ENTITIES, {"r": reps}, token=api.jobcenter(jc["nummer"]))
    eva = {"__typename": "Borger", "cpr": b["cpr"], "navn": "Eva Holm"}
    assert body["data"]["_entities"] == [eva, None, None, None, None, None, None, None, eva]
    fejl = sorted(body["errors"], key=lambda e: e["path"])
    assert [e["path"] for e in fejl] == [["_entities", i] for i in range(1, 8)]
    assert {e["extensions"]["code"] for e in fejl} == {"BAD_USER_INPUT"}
    assert [e["message"] for e in fejl] == [
        "representations[1]: __typename mangler",
        "representations[2]: 'Fravaer' er ikke en entitet i denne subgraf",
        "representations[3]: 'Nabo' er ikke en entitet i denne subgraf",
        "representations[4]: Borger mangler nøglefeltet cpr",
        "representations[5]: Borger har ikke nøglefeltet navn",
        "representations[6]: Borger.cpr skal være en tekst",
        "representations[7]: en repræsentation skal være et objekt med __typename og typens nøglefelter",
    ]


# --- node(id) -------------------------------------------------------------------------------------

NODE = "query($id: ID!) { node(id: $id) { __typename id } }"


async def _alle_ids(api, engine) -> tuple[dict[str, str], str]:
    """One object of every Node type, and a token that may see them all: {typename: global id}."""
    jc = await f.jobcenter(engine)
    ak = await f.akasse(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"], akasse_nummer=ak["nummer"])
    await f.fravaer(engine, b["cpr"], 10, date(2022, 10, 1))
    tilbud = await f.moedetilbud(engine, jc["nummer"])
    await f.indkaldelse(engine, b["cpr"], jc["nummer"], moedetilbud_id=tilbud["id"])
    await f.kontaktperson(engine, b["cpr"], jc["myndighed"])
    await f.joblog(engine, b["cpr"], date(2022, 10, 3))
    await f.indsats(engine, b["cpr"])
    await f.medlemskab(engine, b["cpr"], ak["nummer"])
    v = await f.virksomhed(engine)
    p = await f.produktionsenhed(engine, v["cvr_nummer"])
    jo = await f.jobordre(engine, v["cvr_nummer"], jc["nummer"], p_nummer=p["p_nummer"])
    await f.formidling(engine, jo["id"], b["cpr"])
    await f.webservicebesked(engine, "jobcenter", jc["myndighed"], cpr=b["cpr"])
    token = api.jobcenter(jc["nummer"])
    data = await api.data(
        """query($cpr: String!) {
          borger(cpr: $cpr) {
            id jobcenter { id } akasse { id } fravaer { id } kontaktpersoner { id } joblog { id }
            indsatser { id } medlemskab { id }
            indkaldelser { id moedetilbud { id } }
            formidlinger { id jobordre { id virksomhed { id } produktionsenhed { id } } }
          }
          webservicebeskeder(first: 100) { nodes { id } }
        }""",
        {"cpr": b["cpr"]}, token=token,
    )
    g = data["borger"]
    ids = {
        "Borger": g["id"], "Jobcenter": g["jobcenter"]["id"], "Akasse": g["akasse"]["id"],
        "Fravaer": g["fravaer"][0]["id"], "Kontaktperson": g["kontaktpersoner"][0]["id"],
        "JoblogPost": g["joblog"][0]["id"], "Indsats": g["indsatser"][0]["id"], "Medlemskab": g["medlemskab"][0]["id"],
        "Indkaldelse": g["indkaldelser"][0]["id"], "Moedetilbud": g["indkaldelser"][0]["moedetilbud"]["id"],
        "Formidling": g["formidlinger"][0]["id"], "Jobordre": g["formidlinger"][0]["jobordre"]["id"],
        "Virksomhed": g["formidlinger"][0]["jobordre"]["virksomhed"]["id"],
        "Produktionsenhed": g["formidlinger"][0]["jobordre"]["produktionsenhed"]["id"],
        "Webservicebesked": data["webservicebeskeder"]["nodes"][-1]["id"],
    }
    return ids, token


async def test_node_resolves_every_node_type(api, engine):
    ids, token = await _alle_ids(api, engine)
    sdl = (await api("{ _service { sdl } }"))["data"]["_service"]["sdl"]
    node_typer = set(re.findall(r"^type (\w+) implements Node", sdl, flags=re.M))
    assert node_typer == set(ids), "a new Node type needs a case here and a node resolver"
    for typename, id in ids.items():
        body = await api(NODE, {"id": id}, token=token)
        assert "errors" not in body, (typename, body["errors"])
        assert body["data"]["node"] == {"__typename": typename, "id": id}, typename


async def test_node_unknown_key_of_every_type_is_null(api, engine):
    jc = await f.jobcenter(engine)
    token = api.jobcenter(jc["nummer"])
    for typename, key in [
        ("Borger", f.ny_cpr()), ("Jobcenter", "00001"), ("Akasse", "99999"), ("Fravaer", 10**15),
        ("Kontaktperson", 10**15), ("JoblogPost", 10**15), ("Indsats", 10**15), ("Medlemskab", 10**15),
        ("Indkaldelse", 10**15), ("Moedetilbud", 10**15), ("Formidling", 10**15), ("Jobordre", 10**15),
        ("Virksomhed", f.ny_cvr()), ("Produktionsenhed", "0000000001"), ("Webservicebesked", 10**15),
        ("Fravaer", "ikke-et-tal"), ("Indkaldelse", "9" * 30), ("Ukendt", 1),
    ]:
        body = await api(NODE, {"id": to_global_id(typename, key)}, token=token)
        assert body == {"data": {"node": None}, "extensions": body["extensions"]}, (typename, key, body)


@pytest.mark.parametrize("garbage", ["", "!!!", "not base64 at all", base64.b64encode(b"\xff\xfe").decode(), to_global_id("Borger", "")])
async def test_node_garbage_id_is_bad_user_input(api, engine, garbage):
    jc = await f.jobcenter(engine)
    body = await api(NODE, {"id": garbage}, token=api.jobcenter(jc["nummer"]))
    f.kraev_bad_input(body, "id")


def _alle_laesninger(tekst: str, dybde: int = 3):
    """``tekst`` and whatever base64 makes of it or of its ':'-separated parts, a few levels down."""
    yield tekst
    if dybde:
        for del_ in {tekst, *tekst.split(":")}:
            try:
                dekodet = base64.urlsafe_b64decode(del_ + "=" * (-len(del_) % 4)).decode("utf-8", "ignore")
            except ValueError:
                continue
            yield from _alle_laesninger(dekodet, dybde - 1)


async def test_a_citizens_id_and_cursor_show_no_cpr_and_cannot_be_forged(api, engine):
    """Ids and cursors travel in URLs and logs: a citizen's shows its CPR number in no form, the
    form it had before (base64 of 'Borger:<cpr>', of '["<cpr>"]') is refused, and so is a changed one."""
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    token = api.jobcenter(jc["nummer"])
    body = await api("""query($cpr: String!) {
      borger(cpr: $cpr) { id }
      borgere(first: 100) { edges { cursor node { cpr } } }
    }""", {"cpr": b["cpr"]}, token=token)
    id_ = body["data"]["borger"]["id"]
    (cursor,) = [e["cursor"] for e in body["data"]["borgere"]["edges"] if e["node"]["cpr"] == b["cpr"]]
    for tekst in (id_, cursor):
        assert not [x for x in _alle_laesninger(tekst) if b["cpr"] in x], tekst
    hent = "query($id: ID!) { node(id: $id) { ... on Borger { cpr } } }"
    assert (await api(hent, {"id": id_}, token=token))["data"]["node"] == {"cpr": b["cpr"]}

    typename, _, forseglet = base64.urlsafe_b64decode(id_ + "=" * (-len(id_) % 4)).decode().partition(":")
    aendret = forseglet[:5] + ("A" if forseglet[5] != "A" else "B") + forseglet[6:]
    for forfalsket in (
        base64.urlsafe_b64encode(f"Borger:{b['cpr']}".encode()).decode().rstrip("="),
        base64.urlsafe_b64encode(f"{typename}:{aendret}".encode()).decode().rstrip("="),
    ):
        f.kraev_bad_input(await api(hent, {"id": forfalsket}, token=token), "id")
    side = "query($a: String) { borgere(first: 1, after: $a) { edges { node { cpr } } } }"
    assert "errors" not in await api(side, {"a": cursor}, token=token)
    gammel = base64.urlsafe_b64encode(f'["{b["cpr"]}"]'.encode()).decode()
    f.kraev_bad_input(await api(side, {"a": gammel}, token=token), "after")


async def test_node_webservicebesked_only_from_the_callers_own_queue(api, engine):
    ids, _token = await _alle_ids(api, engine)
    andet = await f.jobcenter(engine)
    body = await api(NODE, {"id": ids["Webservicebesked"]}, token=api.jobcenter(andet["nummer"]))
    assert body["data"] == {"node": None}
    body = await api(NODE, {"id": ids["Webservicebesked"]}, token=api.token("borger", cpr=f.ny_cpr()))
    assert body["data"] == {"node": None}


async def test_node_needs_a_token(api, engine):
    ids, _ = await _alle_ids(api, engine)
    body = await api(NODE, {"id": ids["Borger"]})
    assert f.fejlkoder(body) == ["UNAUTHENTICATED"]
