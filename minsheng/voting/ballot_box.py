"""The sealed ballot box: how a cast ballot is kept while the vote is open, so that not even the database can
link it to its voter (the threat model is in the voting README).

While a vote is open, each cast writes one `SealedBallot`: the marks and the receipt code encrypted with the
vote's own box key (AES-256-GCM, a random nonce, the vote's id as associated data), in a payload of the same length
for every ballot of the vote. The box key is made when the vote opens and kept wrapped with the server's
FIELD_ENCRYPTION_KEYS (`BallotBox`): a reader of the database alone sees which deputy's transaction wrote which
sealed row, but not what it says. At closing, one transaction opens the box: it decrypts every sealed ballot,
shuffles them with the operating system's randomness, writes the `Ballot` and `BallotChoice` rows in that shuffled
order, deletes the sealed rows and the box key. What is then stored of a ballot carries the closing transaction's
id and a random place in the table: nothing of when or in what order it was cast.

The receipt check while the vote is open uses a keyed hash of the receipt (`tag`), computed with the box key: it
means nothing once the key is destroyed. Pure functions here; the services decide when they run.
"""

import base64
import hashlib
import hmac
import json
import os
import secrets

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.exceptions import ImproperlyConfigured

from minsheng.common import crypto

VERSION = 1
NONCE_BYTES = 12
RECEIPT_BYTES = 6  # 12 hex characters: what the voter writes down

# One letter per mark, so that every ballot of a vote encrypts to the same length whatever it says.
MARK_CODES = {
    "for": "f",
    "against": "a",
    "abstain": "x",
    "satisfied": "s",
    "mostly": "m",
    "dissatisfied": "d",
}
CODE_MARKS = {code: mark for mark, code in MARK_CODES.items()}


class Opened:
    """A ballot taken out of the box: its marks {candidate id: mark} and its receipt code. Whether it was cast on
    paper is not kept: a count with few paper ballots would show them."""

    __slots__ = ("marks", "receipt")

    def __init__(self, marks: dict[int, str], receipt: str):
        self.marks = marks
        self.receipt = receipt


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def wrap(key: bytes) -> str:
    """The box key as stored: encrypted with the server's field encryption keys."""
    return crypto.encrypt(base64.b64encode(key).decode())


def unwrap(wrapped: str) -> bytes:
    return base64.b64decode(crypto.decrypt(wrapped))


def new_receipt() -> str:
    return secrets.token_hex(RECEIPT_BYTES)


def receipt_tag(key: bytes, receipt: str) -> str:
    """A keyed hash of a receipt code: finds the sealed ballot of a receipt while the box key exists."""
    return hmac.new(key, b"receipt:" + receipt.encode(), hashlib.sha256).hexdigest()


def _payload(marks: dict[int, str], receipt: str) -> bytes:
    body = {
        "v": VERSION,
        "r": receipt,
        "m": {str(cid): MARK_CODES[mark] for cid, mark in sorted(marks.items())},
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def seal(key: bytes, vote_id: int, marks: dict[int, str], receipt: str) -> bytes:
    """nonce ‖ AES-GCM ciphertext of the ballot. Every ballot of a vote marks the same candidates, each with one
    letter, and has a receipt of the same length: the sealed ballots of a vote are all of one length."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, _payload(marks, receipt), str(vote_id).encode())


def unseal(key: bytes, vote_id: int, sealed: bytes | memoryview) -> Opened:
    sealed = bytes(sealed)
    try:
        plain = AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], str(vote_id).encode())
    except InvalidTag as exc:  # a wrong key or a tampered row must stop the count, never be skipped
        raise ImproperlyConfigured(f"A sealed ballot of vote {vote_id} cannot be opened") from exc
    body = json.loads(plain)
    return Opened(
        marks={int(cid): CODE_MARKS[code] for cid, code in body["m"].items()},
        receipt=body["r"],
    )


def seal_marks(key: bytes, vote_id: int, serial: str, marks: dict[int, str]) -> bytes:
    """One staff member's entry of a paper ballot, sealed like a ballot (bound to the vote and the paper's number)."""
    nonce = os.urandom(NONCE_BYTES)
    body = json.dumps({str(cid): MARK_CODES[m] for cid, m in sorted(marks.items())}, sort_keys=True).encode()
    return nonce + AESGCM(key).encrypt(nonce, body, f"{vote_id}:{serial}".encode())


def unseal_marks(key: bytes, vote_id: int, serial: str, sealed: bytes | memoryview) -> dict[int, str]:
    sealed = bytes(sealed)
    try:
        plain = AESGCM(key).decrypt(
            sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], f"{vote_id}:{serial}".encode()
        )
    except InvalidTag as exc:
        raise ImproperlyConfigured(f"A paper entry of vote {vote_id} cannot be opened") from exc
    return {int(cid): CODE_MARKS[code] for cid, code in json.loads(plain).items()}


def shuffled(items: list) -> list:
    """A uniformly random order from the operating system's randomness (never a seeded generator)."""
    items = list(items)
    secrets.SystemRandom().shuffle(items)
    return items
