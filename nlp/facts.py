"""The reference fact base (``data/facts/``): the policy documents, their targets, the named
programmes and the known false claims (``load_facts`` → ``FactBase``), each entry checked
against its shape when it is read. What a text gets wrong against it is found by
``nlp.factcheck``."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, NotRequired, cast

import yaml
from pydantic import ConfigDict, TypeAdapter, ValidationError, with_config
from typing_extensions import TypedDict

from nlp import meaning
from nlp.text import expand_teencode, fold

log = logging.getLogger(__name__)

_TOKEN_RE = re.compile(r"\w+")


@with_config(ConfigDict(strict=True))
class Document(TypedDict):
    """A policy document of the base: ``kind`` (nq, ct, hd), ``number`` and ``suffix`` as
    printed (57-NQ/TW), ``date`` (ISO 8601), ``issuer`` and the folded ``issuer_keys`` that name
    it, ``scope``, ``title`` and ``source`` (where the record comes from)."""

    id: str
    kind: str
    number: int
    suffix: str
    date: str
    issuer: str
    issuer_keys: list[str]
    scope: str
    title: str
    source: str


@with_config(ConfigDict(strict=True))
class Target(TypedDict):
    """A figure a document sets: the ``indicator`` (folded ``indicator_keys``), its ``rank``
    where it is a ranking, the ``year`` it is due, the official ``statement``; ``document`` (a
    ``Document`` id) or ``source`` says where it is written."""

    id: str
    indicator: str
    indicator_keys: list[str]
    year: int
    statement: str
    rank: NotRequired[int]
    document: NotRequired[str]
    source: NotRequired[str]


@with_config(ConfigDict(strict=True))
class Programme(TypedDict):
    """A named programme and the official ``statement`` of what it is."""

    id: str
    name: str
    statement: str


@with_config(ConfigDict(strict=True))
class FalseClaim(TypedDict):
    """A recurring false narrative: its ``claim`` and other wordings (``variants``), the
    ``correction`` with its ``source``, and what the claim gets wrong (``differs``)."""

    id: str
    claim: str
    variants: NotRequired[list[str]]
    correction: str
    differs: str
    source: str


class FactsError(ValueError):
    """A fact base file that cannot be used: not YAML, or an entry that lacks a field or has
    one of the wrong type (the message names the file, the list, the entry and the field)."""


# The entries of each list, checked against their shape when read (``_check_entries``).
_SHAPES: dict[str, TypeAdapter[Any]] = {
    "documents": TypeAdapter(list[Document]),
    "targets": TypeAdapter(list[Target]),
    "programmes": TypeAdapter(list[Programme]),
    "false_claims": TypeAdapter(list[FalseClaim]),
}


@dataclass(frozen=True)
class FactBase:
    """The fact base as loaded (``load_facts``): its ``version``, the four lists, the issuer
    aliases (folded name → issuer key) and each false claim's wordings as word 1–2-grams."""

    version: str
    documents: list[Document]
    targets: list[Target]
    programmes: list[Programme]
    false_claims: list[FalseClaim]
    issuer_aliases: dict[str, str]
    claim_grams: list[tuple[FalseClaim, frozenset[str]]]
    # the known false claims indexed by meaning; None when the encoder cannot be loaded
    meaning: meaning.ClaimIndex | None = None

    @cached_property
    def claim_vocabulary(self) -> tuple[frozenset[str], int]:
        """Every word 1–2-gram of any wording, and the fewest a wording has (a sentence sharing
        fewer than ``nlp.factcheck.SUGGESTED`` × that with the whole vocabulary cannot match one)."""
        grams = [g for _, g in self.claim_grams]
        return frozenset().union(*grams), min(map(len, grams), default=0)

    @cached_property
    def claims_by_id(self) -> dict[str, FalseClaim]:
        """Each known false claim by its ``id``."""
        return {c["id"]: c for c in self.false_claims}

    @cached_property
    def claim_wordings(self) -> list[str]:
        """The wording (the claim or one of its variants, as written) of each entry of
        ``claim_grams``, in the same order."""
        return [w for c in self.false_claims for w in [c["claim"], *c.get("variants", [])]]

    @cached_property
    def claim_postings(self) -> dict[str, tuple[int, ...]]:
        """Word 1–2-gram → the indexes (into ``claim_grams``) of the wordings that hold it."""
        return meaning.postings([grams for _, grams in self.claim_grams])


def word_grams(folded: str) -> frozenset[str]:
    """The word 1- and 2-grams of folded text (teencode expanded): what claims are matched by."""
    words = _TOKEN_RE.findall(expand_teencode(folded))
    return frozenset(words) | frozenset(a + " " + b for a, b in zip(words, words[1:], strict=False))


def load_facts(path: Path) -> FactBase:
    """Read the fact base from a YAML file, or every ``*.yaml`` in a folder (lists are joined),
    and index its known false claims by meaning (embeddings cached in the folder:
    ``nlp/meaning.py``). Without the encoder the base still loads, matching claims by shared
    words only (logged). Raises ``FactsError`` for a file that is not YAML or an entry that
    does not have its shape (``Document``, ``Target``, ``Programme``, ``FalseClaim``)."""
    files = sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    raw: dict[str, Any] = {}
    for f in files:
        try:
            loaded = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise FactsError(f"{f}: not YAML: {exc}") from exc
        if not isinstance(loaded, dict):
            raise FactsError(
                f"{f}: the fact base is a mapping of lists, not {type(loaded).__name__}"
            )
        for k, v in loaded.items():
            if k in _SHAPES:
                _check_entries(f, k, v)
            raw[k] = raw.get(k, []) + v if isinstance(v, list) else v
    claims = cast(list[FalseClaim], raw.get("false_claims", []))
    grams = [(c, word_grams(fold(w))) for c in claims for w in [c["claim"], *c.get("variants", [])]]
    return FactBase(
        version=str(raw.get("version", "0")),
        documents=cast(list[Document], raw.get("documents", [])),
        targets=cast(list[Target], raw.get("targets", [])),
        programmes=cast(list[Programme], raw.get("programmes", [])),
        false_claims=claims,
        issuer_aliases=raw.get("issuer_aliases", {}),
        claim_grams=grams,
        meaning=_meaning_index(claims, path if path.is_dir() else path.parent),
    )


def _check_entries(file: Path, name: str, entries: object) -> None:
    """``FactsError`` unless ``entries`` is a list of mappings with the fields (and types) of
    ``_SHAPES[name]``, checked by pydantic (strict: no coercion; other fields are allowed). The
    message names the file, the list, the entry (its index and id) and the field."""
    if not isinstance(entries, list):
        raise FactsError(f"{file}: {name} must be a list")
    try:
        _SHAPES[name].validate_python(entries)
    except ValidationError as exc:
        error = exc.errors()[0]
        i, *path = error["loc"]
        entry = entries[int(i)]
        where = f"{file}: {name}[{i}]"
        if not path:
            raise FactsError(f"{where} must be a mapping") from None
        where += f" ({entry.get('id', 'no id')})"
        field = path[0]
        if error["type"] == "missing":
            raise FactsError(f"{where}: missing {field!r}") from None
        expected = (
            "a list of texts"
            if len(path) > 1 or error["type"] == "list_type"
            else _EXPECTED.get(error["type"], error["msg"])
        )
        raise FactsError(f"{where}: {field!r} must be {expected}") from None


# pydantic's error types for a field of the wrong type, in the words of FactsError
_EXPECTED = {"string_type": "a text", "int_type": "a whole number"}


def _meaning_index(claims: list[FalseClaim], folder: Path) -> meaning.ClaimIndex | None:
    if not claims:
        return None
    try:
        return meaning.ClaimIndex.build(claims, folder)
    except meaning.EncoderUnavailable as exc:
        log.warning("known false claims are matched by shared words only: %s", exc)
        return None
