"""Electronic signatures on the PPID's notices: PAdES (ETSI.CAdES.detached) with pyHanko, and
reading them back for the public verification page.

The key is the agency's PKCS#12 file (``PPID_SIGNING_PKCS12``, ``PPID_SIGNING_PASSPHRASE``),
normally a BSrE (Balai Besar Sertifikasi Elektronik) certificate. Without one, and when
``PPID_SIGNING_DEMO`` allows it (a demo or development portal), a self-signed certificate
named "SERTIFIKAT DEMO" is made once in the instance folder and used instead; every document
signed with it says so on its face (``notices``). With neither, documents go out unsigned
(their ``signer`` is empty) and a warning is logged: the request is served all the same.

:func:`current` loads the key once per process (per configuration); :func:`sign` signs;
:func:`inspect` reads the signatures of any PDF shown to the verification page.
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from flask import current_app

log = logging.getLogger(__name__)
T = TypeVar("T")

DEMO_FILE = "ppid-signing-demo.p12"
DEMO_MARK = "SERTIFIKAT DEMO"
FIELD_NAME = "TandaTanganPPID"


@dataclass(frozen=True)
class SigningKey:
    """What signs the notices of this process: pyHanko's signer (``None``: documents go out
    unsigned), the certificate's subject as people read it, whether it is the demo certificate,
    and the certificate's SHA-256 fingerprint (to recognise our own signatures)."""

    signer: Any | None
    subject: str = ""
    demo: bool = False
    fingerprint: str = ""

    @property
    def certificate(self) -> Any | None:
        return self.signer.signing_cert if self.signer is not None else None


UNSIGNED = SigningKey(signer=None)

_cache: dict[tuple[str, ...], SigningKey] = {}
_lock = threading.Lock()


def demo_enabled() -> bool:
    """``PPID_SIGNING_DEMO``: off unless set, or the portal was started with demo data
    (``satudata run --demo``, which ``make run`` is; ``satudata demo load``): a production portal
    never signs with a certificate it made itself."""
    value = current_app.config.get("PPID_SIGNING_DEMO")
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)


def current() -> SigningKey:
    """The key of this process, loaded once per configuration. Never raises: a key that cannot
    be loaded is logged and documents go out unsigned (a misconfigured agency key never falls
    back to the demo certificate)."""
    config = current_app.config
    pkcs12 = str(config.get("PPID_SIGNING_PKCS12") or "")
    demo = demo_enabled() and not pkcs12
    passphrase = str(config.get("PPID_SIGNING_PASSPHRASE") or "")
    key = (pkcs12, hashlib.sha256(passphrase.encode()).hexdigest(), str(demo), current_app.instance_path)
    cached = _cache.get(key)
    if cached is not None:
        return cached
    with _lock:
        cached = _cache.get(key)
        if cached is not None:
            return cached
        try:
            if pkcs12:
                loaded = _load(Path(pkcs12).read_bytes(), passphrase.encode() or None, demo=False)
            elif demo:
                loaded = _load(_demo_pkcs12(Path(current_app.instance_path)), None, demo=True)
            else:  # said once per process (and configuration), not with every document
                log.warning("PPID notices are not signed: set PPID_SIGNING_PKCS12 (the agency's certificate) "
                            "or PPID_SIGNING_DEMO for a demo portal.")
                loaded = UNSIGNED
        except Exception:
            log.exception("PPID signing key %s could not be loaded; notices go out unsigned.",
                          pkcs12 or "(demo)")
            return UNSIGNED
        _cache[key] = loaded
        return loaded


def _load(data: bytes, passphrase: bytes | None, *, demo: bool) -> SigningKey:
    from cryptography.hazmat.primitives.serialization import pkcs12
    from pyhanko.sign import signers

    loaded = signers.SimpleSigner.load_pkcs12_data(data, other_certs=[], passphrase=passphrase)
    signer = _signer_class()(signing_key=loaded.signing_key, signing_cert=loaded.signing_cert,
                             cert_registry=loaded.cert_registry, signature_mechanism=loaded.signature_mechanism)
    # pyHanko parses the private key again for every signature (tens of milliseconds for RSA,
    # which cryptography checks on loading); this signer keeps the parsed one.
    signer.private_key = pkcs12.load_key_and_certificates(data, passphrase)[0]
    cert = signer.signing_cert
    return SigningKey(signer=signer, subject=subject_name(cert), demo=demo,
                      fingerprint=hashlib.sha256(cert.dump()).hexdigest())


def _signer_class() -> Any:
    from pyhanko.sign import signers
    from pyhanko.sign.general import get_pyca_cryptography_hash

    class Signer(signers.SimpleSigner):  # type: ignore[misc]
        """pyHanko's in-memory signer, with the parsed key kept for RSA PKCS#1 v1.5 and ECDSA."""

        private_key: Any = None

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            from cryptography.hazmat.primitives.asymmetric.ec import ECDSA, EllipticCurvePrivateKey
            from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
            from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

            try:
                mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
            except ValueError:
                mechanism = ""
            key = self.private_key
            if mechanism == "rsassa_pkcs1v15" and isinstance(key, RSAPrivateKey):
                return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            if mechanism == "ecdsa" and isinstance(key, EllipticCurvePrivateKey):
                return key.sign(data, ECDSA(get_pyca_cryptography_hash(digest_algorithm)))
            return super().sign_raw(data, digest_algorithm)  # type: ignore[no-any-return]

    return Signer


def _demo_pkcs12(instance: Path) -> bytes:
    """The demo certificate's PKCS#12 file, made on first use. Two processes making it at once
    both write a file of their own and link it into place; the one that comes second reads the
    first one's, so every process signs with the same certificate."""
    path = instance / DEMO_FILE
    if path.exists():
        return path.read_bytes()
    instance.mkdir(parents=True, exist_ok=True)
    temporary = instance / f".{DEMO_FILE}.{os.getpid()}.{threading.get_ident()}"
    temporary.write_bytes(_make_demo_pkcs12(str(current_app.config.get("SITE_NAME") or "Satu Data")))
    temporary.chmod(0o600)
    try:
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink(missing_ok=True)
    log.warning("PPID notices are signed with a self-signed demo certificate (%s); it is no BSrE signature.",
                path)
    return path.read_bytes()


def _make_demo_pkcs12(site_name: str) -> bytes:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, site_name[:64]),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "PPID - bukan sertifikat BSrE"),
        x509.NameAttribute(NameOID.COMMON_NAME, f"{DEMO_MARK} {site_name}"[:64]),
    ])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
            .not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(private.public_key()), critical=False)
            .sign(private, hashes.SHA256()))
    return pkcs12.serialize_key_and_certificates(b"ppid-demo", private, cert, None,
                                                 serialization.NoEncryption())


def sign(pdf: bytes, key: SigningKey, *, reason: str, location: str, name: str = "") -> bytes:
    """``pdf`` with a PAdES signature by ``key`` over the whole file (``pdf`` itself when the key
    is :data:`UNSIGNED`)."""
    if key.signer is None:
        return pdf
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, md_algorithm="sha256",
                                        subfilter=fields.SigSeedSubFilter.PADES, reason=reason[:200],
                                        location=location[:200], name=name[:200] or None)
    # Room for the signature container (hex digits, two a byte): the certificates it carries,
    # the signature and its attributes. An estimate by pyHanko costs a dummy signature; it is
    # the fallback.
    certificates = [key.signer.signing_cert, *list(key.signer.cert_registry)]
    reserved = 2 * (sum(len(c.dump()) for c in certificates) + 2048)
    try:
        out = _outside_event_loop(signers.sign_pdf, writer, meta, signer=key.signer, bytes_reserved=reserved)
    except Exception:
        log.info("the signature did not fit in %s bytes; letting pyHanko estimate", reserved, exc_info=True)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        out = _outside_event_loop(signers.sign_pdf, writer, meta, signer=key.signer)
    return out.getvalue()  # type: ignore[no-any-return]


def _outside_event_loop(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``function(*args, **kwargs)``; pyHanko's synchronous API runs its own event loop
    (``asyncio.run``), which cannot start in a thread that already runs one (an async server, a
    test driving a browser), so there it runs in a thread of its own."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ppid-signing") as pool:
        return pool.submit(function, *args, **kwargs).result()


# --------------------------------------------------------------------------- reading signatures


@dataclass(frozen=True)
class SignatureCheck:
    """One signature found in a PDF: who signed, whether it is ours, whether the bytes it signed
    are unchanged (``intact``), whether it covers the whole file (nothing added after signing),
    and the SHA-256 of the revision it signed (for a file with something appended, the document
    as it was signed)."""

    subject: str
    ours: bool
    intact: bool
    whole_file: bool
    signed_revision_sha256: str | None


def inspect(data: bytes, key: SigningKey | None = None) -> list[SignatureCheck] | None:
    """The signatures of ``data``; ``None`` when it cannot be read as a PDF at all."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature

    key = key if key is not None else current()
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded: list[EmbeddedPdfSignature] = list(reader.embedded_signatures)
    except Exception:
        return None
    checks = []
    for sig in embedded:
        checks.append(_check(sig, data, key))
    return checks


def _check(sig: Any, data: bytes, key: SigningKey) -> SignatureCheck:
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        cert = sig.signer_cert
        subject = subject_name(cert)
        ours = bool(key.fingerprint) and hashlib.sha256(cert.dump()).hexdigest() == key.fingerprint
    except Exception:
        return SignatureCheck(subject="", ours=False, intact=False, whole_file=False, signed_revision_sha256=None)
    intact, whole_file = False, False
    try:
        roots = [key.certificate] if ours and key.certificate is not None else []
        context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        status = _outside_event_loop(validate_pdf_signature, sig, context, skip_diff=True)
        intact = bool(status.intact and status.valid)
        whole_file = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    except Exception:
        log.info("signature in a PDF shown to the verification page could not be validated", exc_info=True)
    signed_sha = None
    try:
        start, first, second_start, second = (int(x) for x in sig.byte_range)
        end = second_start + second
        if start == 0 and end <= len(data):
            signed_sha = hashlib.sha256(data[:end]).hexdigest()
    except Exception:
        pass
    return SignatureCheck(subject=subject, ours=ours, intact=intact, whole_file=whole_file,
                          signed_revision_sha256=signed_sha)


def subject_name(cert: Any) -> str:
    """Who a certificate names, as people read it: its common name and organisation ("SERTIFIKAT
    DEMO Satu Data Riau, Diskominfotik Provinsi Riau"), not asn1crypto's English field labels."""
    native = cert.subject.native
    parts = [str(native[key]) for key in ("common_name", "organization_name", "organizational_unit_name")
             if native.get(key)]
    return ", ".join(dict.fromkeys(parts)) or cert.subject.human_friendly
