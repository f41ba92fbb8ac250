"""Each field's one declaration, where its type is: what it reads, how it is derived, who sees it.

A type whose objects are rows (of a table, or of a statement) is declared with ``@raekketype``: the
table, the matrix ressource that reads it, whether its rows are a citizen's personal data, and how
``node(id:)`` finds one. Its fields are plain columns (a dataclass field named as the column) or
declared with one of these, instead of a hand-written resolver:

* ``beregnet`` — computed from the row's columns (and the field's arguments) by a pure function;
* ``kode`` / ``koder`` — a code, or codes, of a code list by the id(s) in a column;
* ``relation`` — the rows of a loader by the key in a column;
* ``afledt`` — computed from the row and the rows of loaders (a rule over a citizen's absences);
* ``kolonne`` — a column under another name.

The declared function takes the row (``r["kolonne"]``) and, when it names them, ``ctx`` (the
request's context: its caller, code lists and day) and the field's GraphQL arguments, typed as
strawberry reads them. Both execution paths are made from the declaration: the strawberry resolver
(the reference executor) is generated here; the planned path (``dfdg.plan``) reads the same
declaration (``erklaering(field)``), fetches only the columns it names, batches the loaders it names
and calls the same function. A field's guard (who may read it) is its type's ``ressource`` and the
field's own ``ressource``; ``dfdg.schema.adgang`` puts the guards on from these.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import strawberry
from graphql import get_named_type

from dfdg.loaders.base import RowLoader
from dfdg.schema.node import int_key, to_global_id

NOEGLE = "dfdg"  # where a field's declaration sits in its strawberry metadata


# --- row types --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Raekketype:
    tabel: Any  # the SQLAlchemy Table its rows come from (None: a statement's rows; every plain field is a column)
    # (Who reads a type's rows, and whether they are a citizen's data, is the matrix's, by the
    # type's GraphQL name: TYPE_RESSOURCE and BORGERDATA in dfdg.regler.adgang.)
    # ``node(id:)``: the loader finding one row by the key in the global id.
    node: type[RowLoader] | None = None
    # Its rows are citizens: each carries the facts ``kan_se_borger`` decides by.
    borger: bool = False
    # A federation entity (``_entities``): ``reference(<key fields>)`` gives the ``node`` loader's key
    # of a representation (None: nothing); its parameters are the type's key fields.
    reference: Callable[..., Any] | None = None


# strawberry class -> its declaration; by GraphQL name once the schema is built (``raekketyper``)
_RAEKKETYPER: dict[type, Raekketype] = {}


def raekketype(tabel: Any, *, node: type[RowLoader] | None = None, borger: bool = False,
               reference: Callable[..., Any] | None = None):
    """Declare a strawberry type as a row type (put it above ``@strawberry.type``)."""

    def erklaer(cls: type) -> type:
        _RAEKKETYPER[cls] = Raekketype(tabel, node, borger, reference)
        if reference is not None:
            cls.resolve_reference = _resolve_reference(cls, node, reference)  # type: ignore[attr-defined]
        return cls

    return erklaer


def _resolve_reference(cls: type, loader: type[RowLoader] | None, reference: Callable[..., Any]) -> Any:
    """strawberry's ``resolve_reference`` of an entity, made from its declaration: the row of the
    key the representation gives; whether the caller sees it is the guard's decision (on ``_entities``)."""
    if loader is None:
        raise TypeError(f"{cls.__name__}: en entitet finder sin række med sin node-loader")

    async def resolve_reference(cls_: type, info: Any, **felter: Any) -> Any:
        info.context.kraev_actor()
        noegle = reference(**felter)
        row = None if noegle is None else await info.context.loaders[loader].load(noegle)
        return None if row is None else from_row(cls_, row)

    params = [inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD),
              *(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in inspect.signature(reference).parameters.values())]
    funktion = resolve_reference
    # the key fields strawberry and the representation check read (dfdg.schema.foederation)
    funktion.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [inspect.Parameter("cls_", inspect.Parameter.POSITIONAL_OR_KEYWORD), *params])
    return classmethod(funktion)


def raekketyper() -> dict[type, Raekketype]:
    return dict(_RAEKKETYPER)


def raekketype_af(cls: type) -> Raekketype | None:
    return _RAEKKETYPER.get(cls)


def from_row(cls: type, row: Mapping[str, Any]) -> Any:
    """An object of a row type holding its row: plain fields read their column (the instance's
    attributes), declared fields the row (``raekke``), as the planned path reads it."""
    obj = cls.__new__(cls)
    obj.__dict__.update(row)
    obj.__dict__["_raekke"] = row
    return obj


def raekke(obj: Any) -> Mapping[str, Any]:
    """The row an object of a row type was made from (or a row itself, or None)."""
    d = getattr(obj, "__dict__", None)
    return d["_raekke"] if d is not None and "_raekke" in d else obj


# --- field declarations --------------------------------------------------------------------------

@dataclass(frozen=True)
class Felt:
    """What every declaration has: the ressource guarding the field beyond its type's."""

    ressource: str | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class Kolonne(Felt):
    """The column ``kolonne`` under the field's own name."""

    kolonne: str


@dataclass(frozen=True)
class Beregnet(Felt):
    """``fn(row, [ctx], **arguments)``, reading only ``kolonner`` of the row. ``serialiseret``: fn
    returns the value as GraphQL serialises it (the planned path skips the leaf serialiser)."""

    fn: Callable[..., Any]
    kolonner: tuple[str, ...]
    ctx: bool = False
    args: tuple[str, ...] = ()
    serialiseret: bool = False


@dataclass(frozen=True)
class Kode(Felt):
    """The code of the list ``liste`` whose id is in ``kolonne``."""

    liste: str
    kolonne: str


@dataclass(frozen=True)
class Koder(Felt):
    """The codes of ``liste`` whose ids ``fn(row)`` returns, in that order."""

    liste: str
    fn: Callable[[Any], Any]
    kolonner: tuple[str, ...]


@dataclass(frozen=True)
class Relation(Felt):
    """The rows of ``loader`` by the key in ``kolonne`` (one row or a list, as the loader). ``synlig``:
    the rows are citizens, each shown only when the caller may see it (``synlig_borger``)."""

    loader: type[RowLoader]
    kolonne: str
    synlig: bool = False
    # ``udvalg(row, rows, [ctx], **arguments)``: which of the loader's rows, in which order (None:
    # all), reading ``udvalgets_kolonner`` of the row (None: any)
    udvalg: Callable[..., Any] | None = None
    ctx: bool = False
    udvalgets_kolonner: tuple[str, ...] | None = ()
    udvalgets_hent: tuple[tuple[type[RowLoader], str], ...] = ()


@dataclass(frozen=True)
class Afledt(Felt):
    """``fn(row, *fetched, [ctx], **arguments)``: ``fetched`` are the rows of each ``hent`` loader by
    the key in its column. ``resultat``: "skalar", "objekt" (an object type whose row-typed fields
    hold rows) or "koder:<liste>" (a list of code ids)."""

    hent: tuple[tuple[type[RowLoader], str], ...]
    fn: Callable[..., Any]
    kolonner: tuple[str, ...]
    ctx: bool = False
    args: tuple[str, ...] = ()
    resultat: str = "skalar"


@dataclass(frozen=True)
class AlleKoder(Felt):
    """Every code of ``liste``."""

    liste: str


@dataclass(frozen=True)
class Antal(Felt):
    """A connection's ``totalCount``: the connection's own count statement."""


def erklaering(felt: Any) -> Felt | None:
    """The declaration of a strawberry field (None: a plain field or a hand-written resolver)."""
    metadata = getattr(felt, "metadata", None)
    return metadata.get(NOEGLE) if metadata else None


# --- the strawberry side -------------------------------------------------------------------------

def _parametre(fn: Callable[..., Any], foran: int) -> tuple[bool, list[inspect.Parameter]]:
    """Whether ``fn`` takes ``ctx``, and its GraphQL arguments (after ``foran`` positional ones)."""
    params = list(inspect.signature(fn).parameters.values())[foran:]
    ctx = bool(params) and params[0].name == "ctx"
    return ctx, params[1:] if ctx else params


def _resolver(fn: Callable[..., Any], args: list[inspect.Parameter], krop: Callable[..., Any], *, asynk: bool,
              dekoreret: bool = False):
    """A strawberry resolver ``(self, info, <args>)`` returning ``krop(self, info, kwargs)``, with
    ``fn``'s argument annotations (read in ``fn``'s module, as strawberry reads a method's)."""
    if asynk:
        async def resolver(self: Any, info: strawberry.Info, **kwargs: Any) -> Any:
            return await krop(self, info, kwargs)
    else:
        def resolver(self: Any, info: strawberry.Info, **kwargs: Any) -> Any:  # type: ignore[misc]
            return krop(self, info, kwargs)
    params = [
        inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=strawberry.Info),
        *(p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in args),
    ]
    retur = inspect.signature(fn).return_annotation if dekoreret else inspect.Signature.empty
    # the declared function's return annotation is the field's type (as a decorated method's is)
    resolver.__signature__ = inspect.Signature(params, return_annotation=retur)  # type: ignore[attr-defined]
    resolver.__annotations__ = {p.name: p.annotation for p in args if p.annotation is not inspect.Parameter.empty}
    resolver.__module__ = fn.__module__
    resolver.__name__ = resolver.__qualname__ = getattr(fn, "__name__", "resolver")
    return resolver


def _felt(resolver: Any, erkl: Felt, **kw: Any) -> Any:
    return strawberry.field(resolver=resolver, metadata={NOEGLE: erkl}, **kw)


def kolonne(navn: str, **kw: Any) -> Any:
    """A column under the field's own name."""
    return _felt(_resolver(kolonne, [], lambda self, info, a: raekke(self)[navn], asynk=False), Kolonne(navn), **kw)


def beregnet(kolonner: tuple[str, ...] | list[str], *, serialiseret: bool = False, ressource: str | None = None,
             **kw: Any) -> Callable[[Callable[..., Any]], Any]:
    """Decorate ``def felt(r, [ctx], <arguments>) -> T`` reading only ``kolonner`` of the row ``r``."""

    def erklaer(fn: Callable[..., Any]) -> Any:
        ctx, args = _parametre(fn, 1)
        navne = tuple(p.name for p in args)
        erkl = Beregnet(fn, tuple(kolonner), ctx, navne, serialiseret, ressource=ressource)
        if ctx:
            def krop(self: Any, info: Any, a: dict) -> Any:
                return fn(raekke(self), info.context, **a)
        else:
            def krop(self: Any, info: Any, a: dict) -> Any:
                return fn(raekke(self), **a)
        return _felt(_resolver(fn, args, krop, asynk=False, dekoreret=True), erkl, **kw)

    return erklaer


def kode(liste: str, kolonne_: str, *, ressource: str | None = None, **kw: Any) -> Any:
    """The code of ``liste`` whose id is in the column ``kolonne_``."""
    def krop(self: Any, info: Any, a: dict) -> Any:
        from dfdg.schema.kodeliste import kode as kodeobjekt  # cycle: kodeliste imports erklaering

        return kodeobjekt(info, liste, raekke(self)[kolonne_])

    return _felt(_resolver(kode, [], krop, asynk=False), Kode(liste, kolonne_, ressource=ressource), **kw)


def koder(liste: str, kolonner: tuple[str, ...] | list[str], *, ressource: str | None = None,
          **kw: Any) -> Callable[[Callable[[Any], Any]], Any]:
    """Decorate ``def felt(r) -> list[<code type>]`` returning the ids of codes of ``liste``."""
    def erklaer(fn: Callable[[Any], Any]) -> Any:
        def krop(self: Any, info: Any, a: dict) -> Any:
            from dfdg.schema.kodeliste import (
                kode as kodeobjekt,  # cycle: kodeliste imports erklaering
            )

            return [kodeobjekt(info, liste, i) for i in fn(raekke(self))]

        return _felt(_resolver(fn, [], krop, asynk=False, dekoreret=True), Koder(liste, fn, tuple(kolonner), ressource=ressource),
                     **kw)

    return erklaer


def relation(loader: type[RowLoader], kolonne_: str, *, synlig: bool = False, ressource: str | None = None, **kw: Any) -> Any:
    """The rows of ``loader`` by the key in the column ``kolonne_``, as objects of the field's type."""

    async def krop(self: Any, info: Any, a: dict) -> Any:
        noegle = raekke(self)[kolonne_]
        if noegle is None:
            return [] if loader.many else None
        fundet = await info.context.loaders[loader].load(noegle)
        cls = _klasse(info)
        if loader.many:
            return [from_row(cls, r) for r in fundet]
        if fundet is None:
            return None
        if synlig:
            from dfdg.schema.adgang import synlig_borger  # cycle: adgang imports erklaering

            if not synlig_borger(info, fundet):
                return None
        return from_row(cls, fundet)

    return _felt(_resolver(relation, [], krop, asynk=True), Relation(loader, kolonne_, synlig, ressource=ressource), **kw)


def udvalgt(loader: type[RowLoader], kolonne_: str, *, hent: tuple[tuple[type[RowLoader], str], ...] | list[tuple[type[RowLoader], str]] = (),
            kolonner: tuple[str, ...] | None = (), ressource: str | None = None,
            **kw: Any) -> Callable[[Callable[..., Any]], Any]:
    """Decorate ``def felt(r, rows, *fetched, [ctx], <arguments>) -> list[T]``: of the rows of the
    many-loader ``loader`` by the key in the column ``kolonne_``, those the function selects (a
    filter, a limit), reading only ``kolonner`` of ``r`` (None: any) and, as ``afledt``, the rows of
    each ``hent`` loader."""
    hent = tuple(hent)

    def erklaer(fn: Callable[..., Any]) -> Any:
        ctx, args = _parametre(fn, 2 + len(hent))

        async def krop(self: Any, info: Any, a: dict) -> Any:
            r = raekke(self)
            noegle = r[kolonne_]
            rows = [] if noegle is None else await info.context.loaders[loader].load(noegle)
            hentet = [await _hent(info, h, r) for h in hent]
            cls = _klasse(info)
            valgte = fn(r, rows, *hentet, info.context, **a) if ctx else fn(r, rows, *hentet, **a)
            return [from_row(cls, v) for v in valgte]

        erkl = Relation(loader, kolonne_, udvalg=fn, ctx=ctx, udvalgets_kolonner=kolonner, udvalgets_hent=hent,
                        ressource=ressource)
        return _felt(_resolver(fn, args, krop, asynk=True, dekoreret=True), erkl, **kw)

    return erklaer


async def _hent(info: Any, hent: tuple[type[RowLoader], str], r: Any) -> Any:
    loader, kol = hent
    noegle = r[kol]
    if noegle is None:
        return [] if loader.many else None
    return await info.context.loaders[loader].load(noegle)


def afledt(hent: tuple[tuple[type[RowLoader], str], ...] | list[tuple[type[RowLoader], str]], *, kolonner: tuple[str, ...] | list[str] = (),
           resultat: str = "skalar", ressource: str | None = None, **kw: Any) -> Callable[[Callable[..., Any]], Any]:
    """Decorate ``def felt(r, *fetched, [ctx], <arguments>) -> T``: ``fetched`` are the rows of each
    loader of ``hent`` [(loader, column of the key), …]; ``r`` is read only for ``kolonner``.
    ``resultat``: "skalar", "objekt" or "koder:<liste>"."""
    hent = tuple(hent)

    def erklaer(fn: Callable[..., Any]) -> Any:
        ctx, args = _parametre(fn, 1 + len(hent))
        erkl = Afledt(hent, fn, tuple(kolonner), ctx, tuple(p.name for p in args), resultat, ressource=ressource)

        async def krop(self: Any, info: Any, a: dict) -> Any:
            r = raekke(self)
            hentet = [await _hent(info, h, r) for h in hent]
            value = fn(r, *hentet, info.context, **a) if ctx else fn(r, *hentet, **a)
            return _som_strawberry(value, resultat, info)

        return _felt(_resolver(fn, args, krop, asynk=True, dekoreret=True), erkl, **kw)

    return erklaer


def alle_koder(liste: str, **kw: Any) -> Any:
    """Every code of ``liste``."""
    def krop(self: Any, info: Any, a: dict) -> Any:
        from dfdg.schema.kodeliste import alle  # cycle: kodeliste imports erklaering

        return alle(info, liste)

    return _felt(_resolver(alle_koder, [], krop, asynk=False), AlleKoder(liste), **kw)


# --- values on the strawberry side ----------------------------------------------------------------

def _klasse(info: Any) -> type:
    """The strawberry class of the field's (named) return type."""
    navn = get_named_type(info._raw_info.return_type).name
    return info.schema.get_type_by_name(navn).origin


def _som_strawberry(value: Any, resultat: str, info: Any) -> Any:
    """A derived value as the strawberry path shows it: an object's row-typed fields hold objects
    made from their rows; code ids become code objects."""
    if resultat.startswith("koder:"):
        from dfdg.schema.kodeliste import kode as kodeobjekt  # cycle: kodeliste imports erklaering

        liste = resultat.split(":", 1)[1]
        return [kodeobjekt(info, liste, i) for i in value]
    if resultat != "objekt" or value is None:
        return value
    definition = info.schema.get_type_by_name(get_named_type(info._raw_info.return_type).name)
    felter = {}
    for f in definition.fields:
        v = getattr(value, f.python_name)
        cls = _raekkeklasse(f.type)
        if cls is not None:
            v = [from_row(cls, r) for r in v] if isinstance(v, (list, tuple)) else (None if v is None else from_row(cls, v))
        felter[f.python_name] = v
    return definition.origin(**felter)


def _raekkeklasse(type_: Any) -> type | None:
    while hasattr(type_, "of_type"):
        type_ = type_.of_type
    return type_ if isinstance(type_, type) and type_ in _RAEKKETYPER else None


def felter_med_erklaering(cls: type) -> dict[str, Felt]:
    """python name -> declaration, for the declared fields of a strawberry type."""
    definition = cls.__strawberry_definition__
    return {f.python_name: e for f in definition.fields if (e := erklaering(f)) is not None}





def globalt_id(typenavn: str, kolonne_: str = "id", **kw: Any) -> Any:
    """The Relay global id of a row: ``typenavn`` and the key in ``kolonne_``."""
    def fn(r: Any) -> str:
        return to_global_id(typenavn, r[kolonne_])

    return _felt(_resolver(globalt_id, [], lambda self, info, a: fn(raekke(self)), asynk=False),
                 Beregnet(fn, (kolonne_,), serialiseret=True), **kw)


# --- root fields ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Opslag(Felt):
    """A root field finding one object: ``fn(ctx, **arguments)`` checks the arguments (raising as a
    resolver does) and returns the key of ``loader``, or None for nothing. Whether the caller sees the
    row is its type's guard's decision (``dfdg.schema.adgang``)."""

    loader: type[RowLoader]
    fn: Callable[..., Any]


@dataclass(frozen=True)
class Forbindelse(Felt):
    """A root connection: ``fn(ctx, **arguments)`` checks the arguments and returns the statement of
    the rows the caller may see, in the unique order it also returns (``(statement, order)``), or None
    for an empty connection. ``markoer``: how a cursor's values become the order's again."""

    fn: Callable[..., Any]
    markoer: tuple[Callable[[Any], Any], ...]


@dataclass(frozen=True)
class Objekt(Felt):
    """A root field whose value ``fn(ctx)`` makes without the database (``kodelister``)."""

    fn: Callable[..., Any]


PAGINERING = ("first", "after", "last", "before")  # Relay's cursor connections: forward and backward


def _rod_resolver(fn: Callable[..., Any], ekstra: list[inspect.Parameter], krop: Callable[..., Any], *, asynk: bool):
    ctx, args = _parametre(fn, 0)
    if not ctx:
        raise TypeError(f"{fn.__name__}: et rodfelts funktion tager ctx først")
    return _resolver(fn, [*args, *ekstra], krop, asynk=asynk, dekoreret=True)


def opslag(loader: type[RowLoader], *, ressource: str | None = None, **kw: Any) -> Callable[[Callable[..., Any]], Any]:
    """Decorate ``def felt(ctx, <arguments>) -> T | None`` returning the key of the row of ``loader``."""

    def erklaer(fn: Callable[..., Any]) -> Any:
        async def krop(self: Any, info: Any, a: dict) -> Any:
            ctx = info.context
            ctx.kraev_actor()
            noegle = fn(ctx, **a)
            row = None if noegle is None else await ctx.loaders[loader].load(noegle)
            return None if row is None else from_row(_klasse(info), row)

        return _felt(_rod_resolver(fn, [], krop, asynk=True), Opslag(loader, fn, ressource=ressource), **kw)

    return erklaer


def forbindelse(markoer: tuple[Callable[[Any], Any], ...], *, ressource: str | None = None,
                **kw: Any) -> Callable[[Callable[..., Any]], Any]:
    """Decorate ``def felt(ctx, <arguments>) -> Connection[T]`` returning ``(statement, order)`` or
    None; the field gets the paging arguments ``first``/``after`` and ``last``/``before``
    (``dfdg.schema.pagination.udsnit``)."""
    paging = [
        inspect.Parameter(navn, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=type_)
        for navn, type_ in zip(PAGINERING, ("int | None", "str | None", "int | None", "str | None"))
    ]

    def erklaer(fn: Callable[..., Any]) -> Any:
        async def krop(self: Any, info: Any, a: dict) -> Any:
            from dfdg.schema.pagination import (  # cycle: pagination imports erklaering
                empty_connection,
                paginate,
            )

            ctx = info.context
            ctx.kraev_actor()
            side = {n: a.pop(n, None) for n in PAGINERING}
            fundet = fn(ctx, **a)
            if fundet is None:
                return empty_connection()
            stmt, order = fundet
            return await paginate(ctx, stmt, order, side, sideraekke(info), markoer)

        return _felt(_rod_resolver(fn, paging, krop, asynk=True), Forbindelse(fn, markoer, ressource=ressource), **kw)

    return erklaer


def sideraekke(info: Any) -> Callable[[Any], Any]:
    """A page's row as its node: a citizen (whose page statement carries the visibility facts) is
    decided and its read recorded here, as where any citizen is read (``synlig_borger``)."""
    from dfdg.schema.adgang import (  # cycle: adgang imports erklaering
        laesningens_operation,
        synlig_borger,
    )

    edge = get_named_type(info._raw_info.return_type).fields["edges"].type
    navn = get_named_type(get_named_type(edge).fields["node"].type).name
    cls = info.schema.get_type_by_name(navn).origin
    if not _RAEKKETYPER[cls].borger:
        return lambda row: from_row(cls, row)
    operation = laesningens_operation(info)

    def make(row: Any) -> Any:
        synlig_borger(info, row, operation)
        return from_row(cls, row)

    return make


def objekt(*, ressource: str | None = None, **kw: Any) -> Callable[[Callable[..., Any]], Any]:
    """Decorate ``def felt(ctx) -> T`` making the field's object."""

    def erklaer(fn: Callable[..., Any]) -> Any:
        def krop(self: Any, info: Any, a: dict) -> Any:
            info.context.kraev_actor()
            return fn(info.context)

        return _felt(_rod_resolver(fn, [], krop, asynk=False), Objekt(fn, ressource=ressource), **kw)

    return erklaer


@dataclass(frozen=True)
class NodeOpslag(Felt):
    """``node(id:)``: ``fn(ctx, **arguments)`` gives the (GraphQL type name, key text) of a global id;
    the row is found by that row type's ``node`` loader (``raekketype(node=…)``), and whether the
    caller sees it is the guard's decision, as for any object of its type."""

    fn: Callable[..., Any]


def node_typer() -> dict[str, tuple[type, Raekketype]]:
    """GraphQL name -> (class, declaration) of the row types ``node(id:)`` finds."""
    return {cls.__strawberry_definition__.name: (cls, rt) for cls, rt in _RAEKKETYPER.items() if rt.node is not None}


def node_noegle(loader: type[RowLoader], tekst: str) -> Any:
    """A global id's key text as the key of ``loader`` (a row id for an integer key: a text that
    cannot be one finds nothing)."""
    if loader.table.c[loader.key].type.python_type is int:
        return int_key(tekst)
    return tekst


def node_opslag(**kw: Any) -> Callable[[Callable[..., Any]], Any]:
    """Decorate ``def node(ctx, id: strawberry.ID) -> Node | None`` returning (type name, key text)."""

    def erklaer(fn: Callable[..., Any]) -> Any:
        async def krop(self: Any, info: Any, a: dict) -> Any:
            ctx = info.context
            ctx.kraev_actor()
            typenavn, tekst = fn(ctx, **a)
            fundet = node_typer().get(typenavn)
            if fundet is None:
                return None
            cls, rt = fundet
            noegle = node_noegle(rt.node, tekst)
            row = None if noegle is None else await ctx.loaders[rt.node].load(noegle)
            return None if row is None else from_row(cls, row)

        return _felt(_rod_resolver(fn, [], krop, asynk=True), NodeOpslag(fn), **kw)

    return erklaer
