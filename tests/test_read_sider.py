"""Paging backwards (issue 13, item 6): ``last``/``before`` on every connection, by Relay's cursor
connections spec, on the planned path and the reference executor alike.

Every request goes to both paths (the session's app plans reads; a second app on the same database
has ``DFDG_PLANNED_READS=0``) and must get the same JSON; the planned one must have answered from
its plan wherever it does for ``first``/``after``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dfdg.schema.node import to_global_id
from tests import factories as f

KBH = ZoneInfo("Europe/Copenhagen")

BORGERE = """
query($filter: BorgerFilter, $first: Int, $after: String, $last: Int, $before: String) {
  borgere(filter: $filter, first: $first, after: $after, last: $last, before: $before) {
    totalCount
    edges { cursor node { cpr navn } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""

MOEDETILBUD = """
query($jc: String!, $first: Int, $after: String, $last: Int, $before: String) {
  moedetilbud(jobcenter: $jc, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { id starttid } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""

KONTI = """
query($cvr: String, $first: Int, $after: String, $last: Int, $before: String) {
  virksomhedskonti(cvrNummer: $cvr, first: $first, after: $after, last: $last, before: $before) {
    edges { cursor node { cvrNummer pNummer } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


class Begge:
    """One query to both paths: the same answer, and the planned app answered it from its plan
    (``planlagt``) or handed it to the reference (an argument the resolver refuses)."""

    def __init__(self, http, reference, app, token: str) -> None:
        self.http, self.reference, self.planlaegger, self.token = http, reference, app.state.planlaegger, token

    async def __call__(self, query: str, variables: dict, *, planlagt: bool = True) -> dict:
        body = {"query": query, "variables": variables}
        headers = {"Authorization": f"Bearer {self.token}"}
        foer = (self.planlaegger.planlagte, self.planlaegger.tilbagefald)
        pl = await self.http.post("/graphql", json=body, headers=headers)
        efter = (self.planlaegger.planlagte, self.planlaegger.tilbagefald)
        ref = await self.reference.post("/graphql", json=body, headers=headers)
        assert pl.status_code == ref.status_code == 200, (pl.text, ref.text)
        svar = pl.json()
        svar.pop("extensions", None)
        ref_svar = ref.json()
        ref_svar.pop("extensions", None)
        assert svar == ref_svar, (variables, svar, ref_svar)
        if planlagt:
            assert efter[0] > foer[0] and efter[1] == foer[1], (variables, self.planlaegger.sidste_tilbagefald)
        return svar

    async def side(self, query: str, variables: dict) -> dict:
        svar = await self(query, variables)
        assert "errors" not in svar, svar["errors"]
        (conn,) = svar["data"].values()
        kanter = conn["edges"]
        info = conn["pageInfo"]
        # startCursor/endCursor are the first and last edge's, edges in the list's order
        assert info["startCursor"] == (kanter[0]["cursor"] if kanter else None)
        assert info["endCursor"] == (kanter[-1]["cursor"] if kanter else None)
        return conn


async def _frem(begge: Begge, query: str, variables: dict, n: int) -> list[list[dict]]:
    sider, after = [], None
    while True:
        conn = await begge.side(query, {**variables, "first": n, "after": after})
        sider.append(conn["edges"])
        if not conn["pageInfo"]["hasNextPage"]:
            return sider
        after = conn["pageInfo"]["endCursor"]


async def _tilbage(begge: Begge, query: str, variables: dict, n: int) -> list[list[dict]]:
    """From the end to the start with ``last``/``before``: the pages, last one first, and each
    page's pageInfo checked as a backward page's."""
    sider, before = [], None
    while True:
        conn = await begge.side(query, {**variables, "last": n, "before": before})
        info = conn["pageInfo"]
        assert len(conn["edges"]) == n or not info["hasPreviousPage"], conn
        # paging backwards: rows after the page exactly when a `before` was given
        assert info["hasNextPage"] is (before is not None), (before, info)
        sider.append(conn["edges"])
        if not info["hasPreviousPage"]:
            return sider
        before = info["startCursor"]


def _noegler(sider: list[list[dict]], felt: str) -> list:
    return [k["node"][felt] for side in sider for k in side]


async def test_borgere_backwards_from_the_end_to_the_start_as_forwards(http, reference, app, api, engine, settings):
    jc = await f.jobcenter(engine)
    cprs = sorted([(await f.borger(engine, jobcenter_nummer=jc["nummer"]))["cpr"] for _ in range(7)])
    begge = Begge(http, reference, app, api.jobcenter(jc["nummer"]))
    filter_ = {"filter": {"jobcenter": jc["nummer"]}}

    frem = await _frem(begge, BORGERE, filter_, 3)
    tilbage = await _tilbage(begge, BORGERE, filter_, 3)
    assert [len(s) for s in frem] == [3, 3, 1] and [len(s) for s in tilbage] == [3, 3, 1]
    assert _noegler(frem, "cpr") == cprs
    # the pages from the end, each in the list's order: reversed page by page, the same rows …
    assert _noegler(tilbage[::-1], "cpr") == cprs
    assert [k["node"]["cpr"] for k in tilbage[0]] == cprs[4:]
    # … and the same (sealed, opaque) cursors
    assert [k["cursor"] for s in tilbage[::-1] for k in s] == [k["cursor"] for s in frem for k in s]
    assert all(cpr not in k["cursor"] for s in frem for k in s for cpr in cprs)

    # both ends, both directions
    sidste = await begge.side(BORGERE, {**filter_, "last": 3})
    assert sidste["pageInfo"] | {"startCursor": None, "endCursor": None} == {
        "hasNextPage": False, "hasPreviousPage": True, "startCursor": None, "endCursor": None}
    assert sidste["totalCount"] == 7
    foerste = await begge.side(BORGERE, {**filter_, "last": 3, "before": frem[1][0]["cursor"]})
    assert [k["node"]["cpr"] for k in foerste["edges"]] == cprs[:3]
    assert (foerste["pageInfo"]["hasPreviousPage"], foerste["pageInfo"]["hasNextPage"]) == (False, True)
    start = await begge.side(BORGERE, {**filter_, "first": 3})
    assert (start["pageInfo"]["hasPreviousPage"], start["pageInfo"]["hasNextPage"]) == (False, True)
    slut = await begge.side(BORGERE, {**filter_, "first": 3, "after": frem[1][-1]["cursor"]})
    assert [k["node"]["cpr"] for k in slut["edges"]] == cprs[6:]
    # paging forwards with `after`: hasPreviousPage true without looking (as before, the spec allows it)
    assert (slut["pageInfo"]["hasPreviousPage"], slut["pageInfo"]["hasNextPage"]) == (True, False)

    # exactly the whole list backwards: no page before it
    hele = await begge.side(BORGERE, {**filter_, "last": 7})
    assert [k["node"]["cpr"] for k in hele["edges"]] == cprs
    assert (hele["pageInfo"]["hasPreviousPage"], hele["pageInfo"]["hasNextPage"]) == (False, False)
    # `last: 0`: an empty page, rows before it
    tom = await begge.side(BORGERE, {**filter_, "last": 0})
    assert tom["edges"] == [] and (tom["pageInfo"]["hasPreviousPage"], tom["pageInfo"]["hasNextPage"]) == (True, False)
    # `before` without `first` or `last`: the page just before it (default_first rows at most)
    foer = await begge.side(BORGERE, {**filter_, "before": frem[2][0]["cursor"]})
    assert [k["node"]["cpr"] for k in foer["edges"]] == cprs[max(0, 6 - settings.default_first):6]
    assert (foer["pageInfo"]["hasPreviousPage"], foer["pageInfo"]["hasNextPage"]) == (settings.default_first < 6, True)


async def test_after_and_before_together_are_a_window(http, reference, app, api, engine):
    jc = await f.jobcenter(engine)
    cprs = sorted([(await f.borger(engine, jobcenter_nummer=jc["nummer"]))["cpr"] for _ in range(7)])
    begge = Begge(http, reference, app, api.jobcenter(jc["nummer"]))
    filter_ = {"filter": {"jobcenter": jc["nummer"]}}
    cursor = [k["cursor"] for k in (await begge.side(BORGERE, {**filter_, "first": 7}))["edges"]]
    vindue = {**filter_, "after": cursor[1], "before": cursor[5]}  # rows 2, 3, 4

    def rows(conn):
        return [k["node"]["cpr"] for k in conn["edges"]], conn["pageInfo"]["hasPreviousPage"], conn["pageInfo"]["hasNextPage"]

    assert rows(await begge.side(BORGERE, {**vindue, "first": 2})) == (cprs[2:4], True, True)
    assert rows(await begge.side(BORGERE, {**vindue, "first": 3})) == (cprs[2:5], True, False)
    assert rows(await begge.side(BORGERE, {**vindue, "last": 2})) == (cprs[3:5], True, True)
    # the window holds no more than the page: nothing before it in the window
    assert rows(await begge.side(BORGERE, {**vindue, "last": 3})) == (cprs[2:5], False, True)
    assert rows(await begge.side(BORGERE, {**vindue, "last": 10})) == (cprs[2:5], False, True)
    # `first` up to `before`: the spec's hasNextPage for `first` is the window's
    assert rows(await begge.side(BORGERE, {**filter_, "first": 2, "before": cursor[5]})) == (cprs[:2], False, True)
    assert rows(await begge.side(BORGERE, {**filter_, "first": 9, "before": cursor[2]})) == (cprs[:2], False, False)
    # an empty window
    assert rows(await begge.side(BORGERE, {**filter_, "after": cursor[3], "before": cursor[4], "last": 5})) == ([], False, True)


async def test_moedetilbud_at_the_same_time_backwards_by_start_and_id(http, reference, app, api, engine):
    """Two columns in the order (starttid, id): offers at the same time are paged by id, backwards too."""
    jc = await f.jobcenter(engine)
    t0 = datetime(2030, 5, 6, 10, 0, tzinfo=KBH)
    ids = [to_global_id("Moedetilbud", (await f.moedetilbud(engine, jc["nummer"], starttid=t0 + timedelta(hours=i // 3)))["id"])
           for i in range(8)]
    begge = Begge(http, reference, app, api.jobcenter(jc["nummer"]))
    for n in (1, 2, 3, 5):
        frem = await _frem(begge, MOEDETILBUD, {"jc": jc["nummer"]}, n)
        tilbage = await _tilbage(begge, MOEDETILBUD, {"jc": jc["nummer"]}, n)
        assert _noegler(frem, "id") == _noegler(tilbage[::-1], "id") == ids, n
        assert [len(s) for s in tilbage] == [n] * (8 // n) + ([8 % n] if 8 % n else [])


async def test_virksomhedskonti_backwards_by_cvr_and_p_number(http, reference, app, api, engine):
    """Two columns in the order (cvrNummer, pNummer): every account, whichever company, backwards as forwards."""
    firmaer = [await f.virksomhed(engine) for _ in range(3)]
    for v in firmaer:
        for _ in range(3):
            u = await f.produktionsenhed(engine, v["cvr_nummer"])
            await f.virksomhedskonto(engine, v["cvr_nummer"], u["p_nummer"])
    begge = Begge(http, reference, app, api.jobcenter((await f.jobcenter(engine))["nummer"]))
    frem = await _frem(begge, KONTI, {}, 4)
    tilbage = await _tilbage(begge, KONTI, {}, 4)
    noegler = [(k["node"]["cvrNummer"], k["node"]["pNummer"]) for s in frem for k in s]
    assert noegler == sorted(noegler) and len(noegler) >= 9
    assert [(k["node"]["cvrNummer"], k["node"]["pNummer"]) for s in tilbage[::-1] for k in s] == noegler
    # one company: its three units, the last two
    cvr = firmaer[1]["cvr_nummer"]
    conn = await begge.side(KONTI, {"cvr": cvr, "last": 2})
    assert [k["node"]["cvrNummer"] for k in conn["edges"]] == [cvr, cvr]
    assert (conn["pageInfo"]["hasPreviousPage"], conn["pageInfo"]["hasNextPage"]) == (True, False)


async def test_bad_paging_arguments_are_bad_user_input_on_both_paths(http, reference, app, api, engine, settings):
    jc = await f.jobcenter(engine)
    for _ in range(2):
        await f.borger(engine, jobcenter_nummer=jc["nummer"])
    begge = Begge(http, reference, app, api.jobcenter(jc["nummer"]))
    filter_ = {"filter": {"jobcenter": jc["nummer"]}}
    moede = await f.moedetilbud(engine, jc["nummer"])
    fremmed = (await begge.side(MOEDETILBUD, {"jc": jc["nummer"], "first": 1}))["edges"][0]["cursor"]
    assert moede["id"]

    async def afvist(variables: dict, argument: str, besked: str) -> None:
        svar = await begge(BORGERE, {**filter_, **variables}, planlagt=False)
        error = f.kraev_bad_input(svar, argument)
        assert error["extensions"]["argument"] == argument and besked in error["message"], error

    await afvist({"last": -1}, "last", "Argumentet 'last' må ikke være negativt")
    # above max_first: refused before anything runs (the cost limit's check), as `first` is
    await afvist({"last": settings.max_first + 1}, "last", f"Argumentet 'last' må højst være {settings.max_first}")
    await afvist({"first": 2, "last": 2}, "last", "Argumenterne 'first' og 'last' kan ikke bruges sammen")
    await afvist({"first": 0, "last": 0}, "last", "kan ikke bruges sammen")
    await afvist({"last": 2, "before": "ikke-en-markoer"}, "before", "Argumentet 'before' er ikke en gyldig markør")
    # a cursor of another list (two columns, not one) is no cursor here
    await afvist({"before": fremmed}, "before", "ikke en gyldig markør for denne liste")
    await afvist({"after": fremmed, "last": 1}, "after", "ikke en gyldig markør for denne liste")
    # still a page of the list with `last` at its largest
    conn = await begge.side(BORGERE, {**filter_, "last": settings.max_first})
    assert len(conn["edges"]) == 2
