"""The text of a CV file: plain text or Markdown as UTF-8, PDF through pypdf, DOCX through python-docx (tables
included). Every way a file can fail becomes one `CVReadError` naming the file and what to do."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

from journal.errors import CVReadError

FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".pdf": "pdf", ".docx": "docx"}
MAX_BYTES = 20 * 1024 * 1024


def read_cv(path: Path | str) -> tuple[str, str]:
    """(text, format) of the CV at `path`; raises `CVReadError` for a missing, unreadable, unsupported, damaged,
    encrypted or empty file."""
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise CVReadError(f"{path.name}: unsupported format {path.suffix or '(no extension)'!r}; give a .txt, .md, "
                          ".pdf or .docx file")
    if not path.is_file():
        raise CVReadError(f"{path}: file not found" if not path.exists() else f"{path}: not a file")
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise CVReadError(f"{path.name}: {size // (1024 * 1024)} MB is too large for a CV (at most 20 MB)")
        text = {"txt": _plain_text, "md": _plain_text, "pdf": _pdf_text, "docx": _docx_text}[kind](path)
    except PermissionError:
        raise CVReadError(f"{path}: permission denied; make the file readable") from None
    except OSError as exc:
        raise CVReadError(f"{path}: cannot read ({exc.strerror or exc.__class__.__name__})") from None
    text = "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").splitlines()).strip()
    if not text:
        hint = " (a scanned image? save it as text or DOCX)" if kind == "pdf" else ""
        raise CVReadError(f"{path.name}: no text could be read from it{hint}")
    return text, kind


def _plain_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CVReadError(f"{path.name}: not UTF-8 text; save it as UTF-8") from None


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its "EOF marker not found" warnings; the error says it
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and reader.decrypt("") == 0:
            raise CVReadError(f"{path.name}: the PDF is password-protected; save a copy without a password")
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except FileNotDecryptedError:
        raise CVReadError(f"{path.name}: the PDF is password-protected; save a copy without a password") from None
    except DependencyError as exc:
        raise CVReadError(f"{path.name}: cannot decrypt the PDF ({exc}); save a copy without a password") from None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError) as exc:
        raise CVReadError(f"{path.name}: not a readable PDF ({exc.__class__.__name__}); export it again or give a "
                          ".docx or .txt") from None


def _docx_text(path: Path) -> str:
    import docx
    from docx.opc.exceptions import OpcError
    from lxml.etree import LxmlError

    try:
        document = docx.Document(str(path))
    except OpcError:
        raise CVReadError(f"{path.name}: not a DOCX file; save it again as .docx (Word 2007 or later)") from None
    except (zipfile.BadZipFile, KeyError, ValueError, LxmlError) as exc:
        raise CVReadError(f"{path.name}: damaged DOCX ({exc.__class__.__name__}); save it again as .docx") from None
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:  # CVs often list skills in tables, which paragraphs leave out
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(parts)
