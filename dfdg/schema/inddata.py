"""Input a request may not carry, refused as the caller's mistake before anything runs.

* **Characters PostgreSQL text cannot hold**: the NUL character (U+0000) and unpaired surrogates
  (U+D800–U+DFFF; JSON can spell them, UTF-8 cannot). Sent on to the database they failed there,
  as an internal error. Checked in every string of the document's argument values and variable
  defaults (``UgyldigeTegn``, a validation rule: cached with the document) and of the variables
  the executed operation declares (``variabelfejl``, per request); BAD_USER_INPUT naming the
  argument path (``input.idempotensnoegle``) and, for a variable, the variable.
* **Several operations and no ``operationName``** (GraphQL spec, *GetOperation*): a request error,
  not the first operation run silently (``operationsfejl``).

``dfdg.schema.graenser.Graenser`` applies all three on the reference path; the planned reads' fast
path hands any request with such a variable to it (``har_ugyldige_tegn``), and a document with such
a literal or several operations never gets a plan, because it does not validate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from graphql import (
    ArgumentNode,
    DirectiveNode,
    DocumentNode,
    FieldNode,
    GraphQLError,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    StringValueNode,
    ValueNode,
    VariableNode,
)
from graphql.language import Visitor, visit
from graphql.validation import ValidationRule

UGYLDIGT_TEGN = re.compile("[\x00\ud800-\udfff]")


def _beskriv(tegn: str) -> str:
    if tegn == "\x00":
        return "NUL-tegnet (U+0000)"
    return f"et enligt surrogattegn (U+{ord(tegn):04X})"


def _fejl(besked: str, argument: str, nodes: Any = None, **ekstra: str) -> GraphQLError:
    return GraphQLError(besked, nodes=nodes, extensions={"code": "BAD_USER_INPUT", "argument": argument, **ekstra})


# --- literals ---------------------------------------------------------------------------------------

def _literaler(node: ValueNode, sti: str) -> Iterator[tuple[str, str, ValueNode]]:
    """(path, offending character, node) for every string in a value literal that holds one."""
    if isinstance(node, StringValueNode):
        if (fundet := UGYLDIGT_TEGN.search(node.value)) is not None:
            yield sti, fundet.group(), node
    elif isinstance(node, ObjectValueNode):
        for felt in node.fields:
            yield from _literaler(felt.value, f"{sti}.{felt.name.value}")
    elif isinstance(node, ListValueNode):
        for i, v in enumerate(node.values):
            yield from _literaler(v, f"{sti}[{i}]")


def _ejer(ancestors: Any) -> str:
    ejer = ancestors[-1] if ancestors else None
    if isinstance(ejer, FieldNode):
        return f"feltet '{ejer.name.value}'"
    if isinstance(ejer, DirectiveNode):
        return f"direktivet '@{ejer.name.value}'"
    return "forespørgslen"


class UgyldigeTegn(ValidationRule):
    """A string literal holding a character PostgreSQL text cannot hold (argument values and
    variables' defaults), named by its argument path."""

    def enter_argument(self, node: ArgumentNode, _key, _parent, _path, ancestors) -> None:
        for sti, tegn, vaerdi in _literaler(node.value, node.name.value):
            self.report_error(_fejl(
                f"Argumentet '{sti}' til {_ejer(ancestors)} indeholder {_beskriv(tegn)}, som ikke kan gemmes; fjern det.",
                sti, [vaerdi],
            ))

    def enter_variable_definition(self, node, *_args) -> None:
        if node.default_value is None:
            return
        navn = f"${node.variable.name.value}"
        for sti, tegn, vaerdi in _literaler(node.default_value, navn):
            self.report_error(_fejl(
                f"Standardværdien '{sti}' indeholder {_beskriv(tegn)}, som ikke kan gemmes; fjern det.", sti, [vaerdi],
            ))


# --- variables --------------------------------------------------------------------------------------

# Both walks keep their own stack: JSON may nest 1,024 levels deep, deeper than Python recursion.

def _ugyldig(v: Any) -> bool:
    stak = [v]
    while stak:
        v = stak.pop()
        if type(v) is str:
            if UGYLDIGT_TEGN.search(v) is not None:
                return True
        elif type(v) is dict:
            stak.extend(v.values())
        elif type(v) is list:
            stak.extend(v)
    return False


def _strenge(v: Any, sti: str) -> list[tuple[str, str]]:
    """(path, offending character) for every string in a JSON value that holds one, in order."""
    fundne, stak = [], [(v, sti)]
    while stak:
        v, sti = stak.pop()
        if type(v) is str:
            if (fundet := UGYLDIGT_TEGN.search(v)) is not None:
                fundne.append((sti, fundet.group()))
        elif type(v) is dict:
            stak.extend(reversed([(x, f"{sti}.{k}") for k, x in v.items()]))
        elif type(v) is list:
            stak.extend(reversed([(x, f"{sti}[{i}]") for i, x in enumerate(v)]))
    return fundne


def _operation(document: DocumentNode, operation_name: str | None) -> OperationDefinitionNode | None:
    operationer = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is None:
        return operationer[0] if len(operationer) == 1 else None
    return next((op for op in operationer if op.name is not None and op.name.value == operation_name), None)


def har_ugyldige_tegn(operation: OperationDefinitionNode, variables: Mapping[str, Any] | None) -> bool:
    """Whether a variable the operation declares holds a character PostgreSQL text cannot hold
    (per request on the fast path: no names built unless there is one)."""
    if not variables:
        return False
    for definition in operation.variable_definitions or ():
        navn = definition.variable.name.value
        if navn in variables and _ugyldig(variables[navn]):
            return True
    return False


def _brug(document: DocumentNode) -> dict[str, tuple[str, str]]:
    """Variable name -> (the argument path it is given at, its owner), its first use in the document."""
    brug: dict[str, tuple[str, str]] = {}

    def saml(node: ValueNode, sti: str, ejer: str) -> None:
        if isinstance(node, VariableNode):
            brug.setdefault(node.name.value, (sti, ejer))
        elif isinstance(node, ObjectValueNode):
            for felt in node.fields:
                saml(felt.value, f"{sti}.{felt.name.value}", ejer)
        elif isinstance(node, ListValueNode):
            for i, v in enumerate(node.values):
                saml(v, f"{sti}[{i}]", ejer)

    class Saml(Visitor):
        def enter_argument(self, node, _key, _parent, _path, ancestors):
            saml(node.value, node.name.value, _ejer(ancestors))

    visit(document, Saml())
    return brug


def variabelfejl(document: DocumentNode, operation_name: str | None,
                 variables: Mapping[str, Any] | None) -> list[GraphQLError]:
    """BAD_USER_INPUT for each string in the operation's variables that holds a character PostgreSQL
    text cannot hold, naming the variable and the argument path it reaches."""
    if not variables or not isinstance(variables, Mapping):
        return []
    operation = _operation(document, operation_name)
    if operation is None or not har_ugyldige_tegn(operation, variables):
        return []
    brug = _brug(document)
    fejl = []
    for definition in operation.variable_definitions or ():
        navn = definition.variable.name.value
        if navn not in variables:
            continue
        argument, ejer = brug.get(navn, (f"${navn}", "forespørgslen"))
        for sti, tegn in _strenge(variables[navn], ""):
            fuld = argument + sti
            fejl.append(_fejl(
                f"Variablen '${navn}{sti}' (argumentet '{fuld}' til {ejer}) indeholder {_beskriv(tegn)}, "
                "som ikke kan gemmes; fjern det.",
                fuld, [definition], variabel=f"${navn}{sti}",
            ))
    return fejl


# --- the operation to run ---------------------------------------------------------------------------

def operationsfejl(document: DocumentNode, operation_name: str | None) -> GraphQLError | None:
    """A document with several operations needs ``operationName`` (GraphQL spec, GetOperation)."""
    if operation_name is not None:
        return None
    operationer = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operationer) < 2:
        return None
    navne = ", ".join(op.name.value if op.name else "(uden navn)" for op in operationer)
    return _fejl(
        f"Dokumentet indeholder {len(operationer)} operationer ({navne}); angiv i 'operationName', hvilken der skal "
        "udføres.", "operationName", operationer,
    )
