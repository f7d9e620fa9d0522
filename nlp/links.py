"""Link reputation: which hosts are official, which imitate an official one, which are
blocklisted, shortened or under an unusual top-level domain. ``nlp.signals`` turns these
judgements into evidence (``url_signals``).

Sources: ``data/links/official.tsv`` (the allow-list, written for duluan from the organisations'
own addresses) and ``data/blocklist/domains.txt`` (the Chống Lừa Đảo blocklist, CC0).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from rapidfuzz.distance import Levenshtein

from core.config import ROOT

SHORTENERS = frozenset(
    [
        "bit.ly",
        "tinyurl.com",
        "t.co",
        "goo.gl",
        "ow.ly",
        "is.gd",
        "cutt.ly",
        "rb.gy",
        "shorturl.at",
        "tiny.cc",
        "s.id",
        "t.ly",
        "rebrand.ly",
        "bitly.com",
        "v.gd",
    ]
)
ODD_TLDS = frozenset(
    [
        "xyz",
        "top",
        "vip",
        "online",
        "club",
        "live",
        "cc",
        "icu",
        "buzz",
        "site",
        "shop",
        "fun",
        "click",
        "link",
        "work",
        "rest",
        "cyou",
        "monster",
        "sbs",
        "cfd",
        "lol",
        "help",
        "support",
        "bond",
        "win",
        "loan",
        "bid",
        "quest",
        "pw",
        "tk",
        "ml",
        "ga",
        "cf",
        "gq",
    ]
)
# App deep-link services (Firebase, AppsFlyer, Adjust, Branch): carriers and wallets send links
# there ("myviettel.go.link", "vtmoney.onelink.me"), and so can anyone: such a link is neither a
# look-alike nor an odd TLD, nor official.
DEEP_LINK_HOSTS = ("page.link", "go.link", "app.link", "onelink.me", "onelink.to")
# Free site builders and hosting, where anyone gets a subdomain in a minute
# ("khaosat-cds.web.app/login", "vcb-xacthuc.netlify.app"): a bank, a carrier or an office does not
# serve its pages there, so a link to one is a phishing cue (weaker than a look-alike). Google
# Forms and Sites are left out: schools and offices do use them.
FREE_HOSTING = (
    "web.app",
    "firebaseapp.com",
    "netlify.app",
    "vercel.app",
    "pages.dev",
    "workers.dev",
    "github.io",
    "glitch.me",
    "herokuapp.com",
    "onrender.com",
    "weebly.com",
    "wixsite.com",
    "webflow.io",
    "000webhostapp.com",
    "ngrok.io",
    "ngrok-free.app",
    "trycloudflare.com",
    "blogspot.com",
)
_FREE_SUFFIXES = tuple("." + h for h in FREE_HOSTING)
OFFICIAL = ROOT / "data" / "links" / "official.tsv"


@dataclass(frozen=True)
class OfficialDomain:
    """One organisation's registrable domain from ``data/links/official.tsv``."""

    domain: str
    kind: str  # gov, bank, carrier, wallet, shop, post or news
    owner: str
    brands: tuple[str, ...]


@lru_cache(maxsize=1)
def official_domains() -> dict[str, OfficialDomain]:
    """The allow-list of official domains, by domain (``data/links/official.tsv``: domain, kind,
    owner, brand keys; written for duluan from the organisations' own addresses). Empty if the file
    is missing. Raises ``ValueError`` for a line without its three first columns."""
    try:
        lines = OFFICIAL.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return {}
    out = {}
    for n, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 3:
            raise ValueError(f"{OFFICIAL}:{n}: needs domain, kind and owner (tab-separated)")
        brands = tuple(
            b.strip() for b in (cols[3] if len(cols) > 3 else "").split(",") if b.strip()
        )
        out[cols[0].strip().lower()] = OfficialDomain(
            cols[0].strip().lower(), cols[1].strip(), cols[2].strip(), brands
        )
    return out


def official(host: str) -> OfficialDomain | None:
    """The official domain ``host`` belongs to (itself or a parent domain), or None."""
    domains = official_domains()
    labels = host.lower().split(".")
    for i in range(len(labels) - 1):
        found = domains.get(".".join(labels[i:]))
        if found is not None:
            return found
    return None


def imitation(host: str) -> tuple[OfficialDomain, str] | None:
    """The official domain whose brand a non-official ``host`` carries, with that brand key: a
    key of five letters or more anywhere in the host (hyphens and dots ignored:
    "vietcombank-vn.top", "dichvucongg.top"), a shorter one ("acb", "vcb", "gov") only as a whole
    label or hyphen-separated part ("svip-acb.com", "msb.vn-ms.top"), a long one (``TYPO_MIN``
    letters or more) also misspelt by one edit or with "rn" for "m" ("vietcombak.com.vn",
    "vietcornbank.com.vn"; Levenshtein distance, ``rapidfuzz``). None when it carries none."""
    flat = host.replace("-", "").replace(".", "")
    parts = set(re.split(r"[.-]", host))
    for domain in official_domains().values():
        for brand in domain.brands:
            if (brand in flat) if len(brand) >= 5 else (brand in parts):
                return domain, brand
            if len(brand) >= 3 and any(_banking_affix(part, brand) for part in parts):
                return domain, brand
            if len(brand) >= TYPO_MIN and any(_misspelt(part, brand) for part in parts):
                return domain, brand
    return None


# A brand key this long (letters) is imitated by a host part one edit away from it: shorter keys
# ("bidv", "acb") are one edit from ordinary words and other brands.
TYPO_MIN = 7


def _misspelt(part: str, brand: str) -> bool:
    """Whether host part ``part`` is ``brand`` misspelt: one insertion, deletion or substitution
    away, or written with "rn" for "m" or "vv" for "w"."""
    if part == brand or abs(len(part) - len(brand)) > 2:
        return False
    if part.replace("rn", "m").replace("vv", "w") == brand:
        return True
    return Levenshtein.distance(part, brand, score_cutoff=1) <= 1


def _banking_affix(part: str, brand: str) -> bool:
    """Whether host part ``part`` is a short brand key with banking words before or after it
    ("onlinenhbidv", "vcbdiglhtbink"): the rest holds one of ``_BANKING_WORDS``."""
    if part == brand or not (part.startswith(brand) or part.endswith(brand)):
        return False
    rest = part[len(brand) :] if part.startswith(brand) else part[: -len(brand)]
    return any(word in rest for word in _BANKING_WORDS)


# Words a phishing page puts in its host name ("login-online.com.vn", "xacthuc-tk.top"): in a
# host outside the official list they promise a sign-in the real site does not host there.
_SIGN_IN_PARTS = (
    "login",
    "signin",
    "dangnhap",
    "xacthuc",
    "xacminh",
    "verify",
    "ebanking",
    "ibanking",
)
# Around a short brand key ("bidv", "vcb", "acb") inside one label of a look-alike
# ("onlinenhbidv.com", "vcbdigibank.top"): the words a fake bank page surrounds it with.
_BANKING_WORDS = ("online", "login", "ebank", "ibank", "dig", "bank")


# ... and the lures it names itself for ("evnnpc-hoantien.com", "mbbank-trian.online",
# "binhchon-nhitai.com", "csgt-nopphat.com"): a refund, a prize, a vote, a fine paid online — each
# paid or signed into only on the organiser's own site (written for duluan from probe Q, issue 12).
# A short one ("trian") counts only as a whole part ("triangle.com" is none).
_LURE_PARTS = (
    "hoantien",
    "hoanphi",
    "nhanthuong",
    "nhanqua",
    "trungthuong",
    "binhchon",
    "nopphat",
)
_LURE_WHOLE = frozenset({"trian"})
_HOST_WORDS = _SIGN_IN_PARTS + _LURE_PARTS


def sign_in_host(host: str) -> str | None:
    """The sign-in or lure word that a label (or a hyphen-separated part of one) of ``host``
    begins with ("login", "xacthuc", "hoantien"…; see ``_SIGN_IN_PARTS`` and ``_LURE_PARTS``), or
    a short lure that is a whole part ("trian"), or None."""
    for part in re.split(r"[.-]", host):
        if part in _LURE_WHOLE:
            return part
        for word in _HOST_WORDS:
            if part.startswith(word):
                return word
    return None


def free_hosted(host: str) -> bool:
    """Whether ``host`` is a subdomain of a free hosting service (``FREE_HOSTING``)."""
    return host.endswith(_FREE_SUFFIXES)


def host_of(url: str) -> str:
    """The lower-cased host name of ``url`` (a scheme is assumed when it has none), or '' when
    it has none, does not parse or is longer than a DNS name can be (253 characters, RFC 1035:
    a hostile "host" of thousands of labels is none)."""
    if not url.lower().startswith(("http://", "https://")):
        url = "http://" + url
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    return host if len(host) <= 253 else ""


BLOCKLIST = ROOT / "data" / "blocklist" / "domains.txt"


@lru_cache(maxsize=1)
def blocklist() -> frozenset[str]:
    """Domains listed as scams (data/blocklist/domains.txt); empty if the file is missing."""
    try:
        lines = BLOCKLIST.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return frozenset()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def listed(host: str) -> str | None:
    """The blocklisted domain ``host`` belongs to (itself or a parent domain), or None."""
    listed = blocklist()
    labels = host.split(".")
    for i in range(len(labels) - 1):
        candidate = ".".join(labels[i:])
        if candidate in listed:
            return candidate
    return None
