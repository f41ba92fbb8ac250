"""Documents over the schema for the differential tests: pools of argument values drawn from what
the callers could read (``Puljer``), and hypothesis-generated selections of any type (``udvalg``):
random fields, aliases, inline and named fragments on the type, its interfaces and a union's members,
@skip/@include on literals and on variables, arguments as literals or variables (``Dok`` collects
the declarations and fragments a document needs)."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLUnionType,
)
from hypothesis import strategies as st

from dfdg.context import DANMARK
from dfdg.schema.node import from_global_id, to_global_id
from tests.tvilling import GSCHEMA, mulige, navngivet, sammensat

PAGINERING = ("first", "after", "last", "before")


def entitetsnoegler(typ: GraphQLObjectType) -> list[str]:
    """The fields of an entity's ``@key`` (federation), from its strawberry definition."""
    definition = typ.extensions.get("strawberry-definition")
    return [f for d in getattr(definition, "directives", ()) if type(d).__name__ == "Key" for f in d.fields.split()]


ENTITETER = mulige(GSCHEMA.get_type("_Entity"))
NODETYPER = mulige(GSCHEMA.get_type("Node"))


def moedetid(dage: int, klokken: int = 10) -> str:
    return datetime.combine(date.today() + timedelta(days=dage), time(klokken), tzinfo=DANMARK).isoformat()


class Puljer:
    """What the arguments are drawn from: objects by type, cursors by root field, and the facts."""

    def __init__(self, fakta: dict) -> None:
        self.fakta = fakta
        self.objekter: dict[str, dict[str, dict]] = defaultdict(dict)  # type -> key -> the object's scalars
        self.markoerer: dict[str, list[str]] = defaultdict(list)

    def saml(self, rod: str, v) -> None:
        if isinstance(v, list):
            for x in v:
                self.saml(rod, x)
        elif isinstance(v, dict):
            typ = v.get("__typename")
            if typ and typ.endswith("Connection"):
                for kant in v.get("edges") or ():
                    if kant.get("cursor") and kant["cursor"] not in self.markoerer[rod]:
                        self.markoerer[rod].append(kant["cursor"])
            if typ and GSCHEMA.get_type(typ) is not None and isinstance(GSCHEMA.get_type(typ), GraphQLObjectType):
                skalarer = {k: x for k, x in v.items() if not isinstance(x, (dict, list))}
                noegle = skalarer.get("id") or skalarer.get("cpr") or json.dumps(skalarer, sort_keys=True)
                self.objekter[typ].setdefault(str(noegle), skalarer)
            for x in v.values():
                self.saml(rod, x)

    def vaerdier(self, typ: str, felt: str) -> list:
        return list(dict.fromkeys(o[felt] for o in self.objekter.get(typ, {}).values() if o.get(felt) is not None))

    def ider(self, typ: str) -> list[str]:
        return self.vaerdier(typ, "id")

    # --- each argument's candidates: real ones first, then what is not there or not valid ---

    def kandidater(self, parent: str, felt: str, navn: str, argtype) -> list:
        """Values for an argument, real ones first; None is 'left out' (only for a nullable one)."""
        f = self.fakta
        t = navngivet(argtype)
        nullbar = not isinstance(argtype, GraphQLNonNull)
        ud = [None] if nullbar else []
        if isinstance(t, GraphQLInputObjectType):
            return [*ud, {}]  # drawn field by field (``inddata``)
        if navn == "cpr":
            return ud + f["cprs"] + ["0101010101", "12", "3213010101"]
        if navn in ("jobcenter", "ansvarligtJobcenter", "jobcenterNummer"):
            return [*ud, f["J"], f["J_samme"], f["J2"], "99999", "12"]
        if navn == "myndighed":
            return [*ud, f["J"][:3], f["J2"][:3], "999", "1a"]
        if navn == "akasse":
            return [*ud, f["A1"], f["A2"], "99999"]
        if navn == "cvrNummer":
            return ud + self.vaerdier("Virksomhed", "cvrNummer")[:4] + ["12345678", "12"]
        if navn == "pNummer":
            return ud + self.vaerdier("Produktionsenhed", "pNummer")[:4] + ["1234567890"]
        if navn == "entitet":
            return ud + self.vaerdier("Historik", "entitet") + ["Findes"]
        if navn == "maaned":
            return ["2022-10", date.today().strftime("%Y-%m"), "2021-02", "2022-13"]
        if navn == "kontaktgruppe":
            return [*ud, 1, 7, 99]
        if navn == "status":
            return [*ud, [1], [1, 2], [3], []]
        if navn in ("first", "last"):
            return [*ud, 5, 1, 0, 3, 100, -1]
        if navn in ("after", "before"):
            return ud + self.markoerer.get(felt, [])[:3] + [m for r, ms in sorted(self.markoerer.items()) if r != felt for m in ms[:1]] \
                + ["ikke-en-markoer"]
        if navn == "representations":
            return [self.repraesentationer(i) for i in range(4)] + self.flere_af_en_type() \
                + [[{"__typename": "Findes", "id": "1"}], []]
        if t.name == "ID":
            return ud + self.id_kandidater(felt)
        if t.name == "Date":
            return [*ud, date.today().isoformat(), "2022-10-03", "2021-01-15", "2030-01-01"]
        if t.name == "DateTime":
            return ud + self.vaerdier("Moedetilbud", "starttid")[:2] + ["2020-01-01T00:00:00+01:00", moedetid(30)]
        if t.name == "Boolean":
            return [*ud, True, False]
        if t.name == "Int":
            return [*ud, 1, 5, 0]
        if isinstance(t, GraphQLEnumType):
            return ud + list(t.values)
        # any other String: what objects hold in a field of that name, else a word
        fundne = [v for typ in sorted(self.objekter) for v in self.vaerdier(typ, navn)[:2]]
        return ud + (fundne or ["x"])

    def id_kandidater(self, felt: str) -> list[str]:
        """A root field's ``id``: of its own type (global ids, the plain key), of other types, none."""
        field = GSCHEMA.query_type.fields.get(felt)
        egen = navngivet(field.type).name if field is not None else "Node"
        if egen == "Node" or GSCHEMA.get_type(egen) not in NODETYPER:
            ider = [i for t in NODETYPER for i in self.ider(t.name)[:3]]
            return [*ider, to_global_id("Fravaer", 10 ** 9), "Ym9ndXM", "ikke-et-id"]
        egne = self.ider(egen)
        raa = [from_global_id(i)[1] for i in egne[:2]]
        andre = [i for t in NODETYPER if t.name != egen for i in self.ider(t.name)[:1]]
        return egne + raa + andre[:3] + [to_global_id(egen, 10**9), "99999999999999999999", "ikke-et-id"]

    def flere_af_en_type(self) -> list[list[dict]]:
        """Per ``@key`` type, several representations of it (one twice), as a gateway batches them,
        and all of them together, types interleaved."""
        lister = []
        for typ in ENTITETER:
            noegler = entitetsnoegler(typ)
            objekter = [o for o in self.objekter.get(typ.name, {}).values() if all(k in o for k in noegler)][:4]
            reps = [{"__typename": typ.name, **{k: o[k] for k in noegler}} for o in objekter]
            if reps:
                lister.append(reps + reps[:1])
        blandet = [rep for runde in zip(*lister) for rep in runde] if lister else []
        return [*lister, blandet]

    def repraesentationer(self, i: int) -> list[dict]:
        """Representations of every ``@key`` type: the i-th harvested object of each (the last
        index: keys that do not exist)."""
        reps = []
        for typ in ENTITETER:
            noegler = entitetsnoegler(typ)
            objekter = [o for o in self.objekter.get(typ.name, {}).values() if all(k in o for k in noegler)]
            if i < 3 and objekter:
                o = objekter[(i * 7) % len(objekter)]
                reps.append({"__typename": typ.name, **{k: o[k] for k in noegler}})
            else:
                reps.append({"__typename": typ.name, **{k: "0000000000" if k != "id" else to_global_id(typ.name, 10**9)
                                                        for k in noegler}})
        return reps


def literal(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(literal(x) for x in v) + "]"
    return "{" + ", ".join(f"{k}: {literal(x)}" for k, x in v.items()) + "}"


# The variables a generated @skip/@include may take, their declarations and values (``$std``: its
# default; ``$nul``: null, graphql-core's error where it reads it).
DIREKTIVVARIABLER = {
    "ja": ("Boolean!", True), "nej": ("Boolean!", False), "std": ("Boolean = true", None), "nul": ("Boolean = false", None),
}


class Dok:
    """What a generated document collects besides its selection: variables, named fragments."""

    def __init__(self) -> None:
        self.erklaeringer: dict[str, str] = {}
        self.variabler: dict = {}
        self.fragmenter: list[str] = []
        self.n = 0

    def nyt(self) -> int:
        self.n += 1
        return self.n

    def tekst(self, rod: str) -> tuple[str, dict]:
        hoved = f"query({', '.join(f'${n}: {t}' for n, t in self.erklaeringer.items())}) " if self.erklaeringer else ""
        return hoved + rod + "".join(f"\n{f}" for f in self.fragmenter), self.variabler


def direktiv(draw, dok: Dok) -> str:
    navn = draw(st.sampled_from(["include", "skip"]))
    vaerdi = draw(st.sampled_from(["true", "false", "$ja", "$ja", "$nej", "$nej", "$std", "$nul"]))
    if vaerdi.startswith("$"):
        erkl, v = DIREKTIVVARIABLER[vaerdi[1:]]
        dok.erklaeringer[vaerdi[1:]] = erkl
        if v is not None:
            dok.variabler[vaerdi[1:]] = v
    return f" @{navn}(if: {vaerdi})"


def inddata(draw, puljer: Puljer, felt: str, typ: GraphQLInputObjectType) -> dict:
    ud = {}
    for navn, f in sorted(typ.fields.items()):
        if isinstance(f.type, GraphQLNonNull) or draw(st.integers(0, 2)) == 0:
            v = draw(st.sampled_from(puljer.kandidater(typ.name, felt, navn, f.type)))
            if v is not None or isinstance(f.type, GraphQLNonNull):
                ud[navn] = v
    return ud


def argumenter(draw, dok: Dok, puljer: Puljer, parent, navn: str, field, *, rod: bool) -> str:
    dele = []
    retning = draw(st.sampled_from(["first", "first", "last", None]))
    markoer = draw(st.sampled_from([None, None, "after", "before"]))
    for a, arg in field.args.items():
        if a in PAGINERING:
            if a not in (retning, markoer) and draw(st.integers(0, 15)):
                continue  # now and then both directions, or a cursor without a size: refused or defaulted alike
            kandidater = [k for k in puljer.kandidater(parent.name, navn, a, arg.type) if k is not None]
        else:
            kandidater = puljer.kandidater(parent.name, navn, a, arg.type)
        t = navngivet(arg.type)
        v = draw(st.sampled_from(kandidater))
        if isinstance(t, GraphQLInputObjectType):
            v = inddata(draw, puljer, navn, t) if v is not None else None
        if v is None and not isinstance(arg.type, GraphQLNonNull):
            continue
        if rod and draw(st.booleans()):  # as a variable of the operation
            var = f"v{dok.nyt()}"
            dok.erklaeringer[var] = str(arg.type)
            dok.variabler[var] = v
            dele.append(f"{a}: ${var}")
        else:
            dele.append(f"{a}: {literal(v)}")
    return f"({', '.join(dele)})" if dele else ""


def udvalg(draw, dok: Dok, puljer: Puljer, typ, dybde: int) -> str:
    if isinstance(typ, (GraphQLInterfaceType, GraphQLUnionType)):
        dele = ["__typename"] if draw(st.booleans()) else []
        if isinstance(typ, GraphQLInterfaceType) and draw(st.booleans()):
            dele.append(objekt(draw, dok, puljer, typ, dybde, abstrakt=True))
        for t in draw(st.lists(st.sampled_from(mulige(typ)), min_size=1, max_size=3, unique=True)):
            indhold = objekt(draw, dok, puljer, t, dybde, abstrakt=True)
            if draw(st.integers(0, 3)) == 0:
                fragment = f"F{dok.nyt()}"
                dok.fragmenter.append(f"fragment {fragment} on {t.name} {{ {indhold} }}")
                dele.append(f"...{fragment}")
            else:
                dele.append(f"... on {t.name} {{ {indhold} }}")
        if isinstance(typ, GraphQLUnionType) and draw(st.integers(0, 2)) == 0:
            dele.append("... on Node { id }")
        return " ".join(dele)
    return objekt(draw, dok, puljer, typ, dybde, abstrakt=False)


def objekt(draw, dok: Dok, puljer: Puljer, typ, dybde: int, *, abstrakt: bool) -> str:
    felter = [n for n, f in sorted(typ.fields.items()) if dybde > 0 or not sammensat(navngivet(f.type))]
    valgte = draw(st.lists(st.sampled_from(felter), min_size=1, max_size=3 if abstrakt else 6, unique=True))
    interfaces = [i for i in getattr(typ, "interfaces", ())]
    dele = []
    for navn in valgte:
        field = typ.fields[navn]
        t = navngivet(field.type)
        args = argumenter(draw, dok, puljer, typ, navn, field, rod=False)
        # in a fragment on one of several types, a unique alias keeps two types' fields of one name apart
        alias = f"{navn}_{dok.nyt()}: " if (abstrakt and navn != "id") or draw(st.integers(0, 4)) == 0 else ""
        under = f" {{ {udvalg(draw, dok, puljer, t, dybde - 1)} }}" if sammensat(t) else ""
        form = draw(st.integers(0, 11))
        paa_feltet = direktiv(draw, dok) if form == 1 else ""
        del_ = f"{alias}{navn}{args}{paa_feltet}{under}"
        egne = [i for i in interfaces if navn in i.fields]
        if form == 0:
            del_ = f"... on {typ.name} {{ {del_} }}"
        elif form == 2:
            del_ = f"__typename {del_}"
        elif form == 3:
            del_ = f"...{draw(st.sampled_from(['', f' on {typ.name}']))}{direktiv(draw, dok)} {{ {del_} }}"
        elif form == 4 and egne:  # through an interface the type implements
            del_ = f"... on {draw(st.sampled_from(egne)).name} {{ {del_} }}"
        elif form == 5:
            fragment = f"F{dok.nyt()}"
            paa = draw(st.sampled_from([typ.name, *(i.name for i in egne)]))
            dok.fragmenter.append(f"fragment {fragment} on {paa} {{ {del_} }}")
            del_ = f"...{fragment}"
        dele.append(del_)
    return " ".join(dele)
