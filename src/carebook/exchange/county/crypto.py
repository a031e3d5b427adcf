"""The open-password of Excel and WPS (ECMA-376 agile AES) on an .xlsx, both ways."""

from __future__ import annotations

import io
from pathlib import Path

import msoffcrypto
from msoffcrypto.exceptions import DecryptionError, FileFormatError, InvalidKeyError
from msoffcrypto.format.ooxml import OOXMLFile

from carebook.i18n import tr

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class PasswordError(ValueError):
    """A workbook that needs a password, or got the wrong one."""


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as fh:
        if fh.read(8) != OLE_MAGIC:
            return False
        fh.seek(0)
        try:
            return bool(msoffcrypto.OfficeFile(fh).is_encrypted())
        except (FileFormatError, OSError, ValueError):
            return False


def encrypt_file(plain: Path, target: Path, password: str) -> None:
    """Write target as plain encrypted with password (AES, agile: what Excel 2010+ and WPS use)."""
    with plain.open("rb") as source, target.open("wb") as out:
        OOXMLFile(source).encrypt(password, out)


def decrypt_to_memory(path: Path, password: str | None) -> io.BytesIO:
    if not password:
        raise PasswordError(tr("工作簿 {file} 设有打开密码，请输入密码。", file=path.name))
    with path.open("rb") as fh:
        office = msoffcrypto.OfficeFile(fh)
        try:
            office.load_key(password=password, verify_password=True)
            out = io.BytesIO()
            office.decrypt(out)
        except (InvalidKeyError, DecryptionError):
            raise PasswordError(
                tr("工作簿 {file} 的密码不对，请重新输入。", file=path.name)
            ) from None
    out.seek(0)
    return out
