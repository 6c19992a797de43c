"""Chromium's tagged PDF made a PDF/UA-1 document (pdf.py): an incremental update, with
pypdf reading only what it changes."""

from __future__ import annotations

import html as html_module
import io
import re

from .chromium import PdfError

OUTLINE_DEPTH = 2

XMP = """<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdfuaid:part>1</pdfuaid:part>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:language><rdf:Bag><rdf:li>{language}</rdf:li></rdf:Bag></dc:language>
   <dc:format>application/pdf</dc:format>
   <pdf:Producer>{producer}</pdf:Producer>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""


def finish(pdf: bytes, *, outline_depth: int = OUTLINE_DEPTH) -> bytes:
    """Chromium's tagged ``pdf`` made a PDF/UA-1 document: its outline cut below
    ``outline_depth`` levels, and the XMP metadata PDF/UA asks for (the identification, the
    title, the language), as an incremental update that appends only what changes.
    (pypdf's own incremental writer reads every object of the file first: seconds.)"""
    from pypdf import PdfReader
    from pypdf.generic import (
        DecodedStreamObject,
        DictionaryObject,
        IndirectObject,
        NameObject,
        NumberObject,
        PdfObject,
    )

    # Strict: Chromium's cross-reference table is right, and pypdf would otherwise check
    # every entry of it against the file (most of the time this takes).
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    previous = re.findall(rb"startxref\s+(\d+)", pdf[-1024:])
    root = reader.trailer.raw_get("/Root")
    if not previous or not isinstance(root, IndirectObject):
        raise PdfError("Chromium's PDF has no cross-reference table to update.")
    changed: dict[int, tuple[int, PdfObject]] = {}

    def dictionary(value: object) -> DictionaryObject:
        if isinstance(value, IndirectObject):
            value = value.get_object()
        if not isinstance(value, DictionaryObject):
            raise PdfError(f"Chromium's PDF has {value!r} where a dictionary belongs.")
        return value

    def cut(reference: IndirectObject, level: int) -> int:
        """Cuts below the item ``reference`` (at ``level``); how many items stay under it."""
        item = dictionary(reference)
        if level >= outline_depth:
            if "/First" in item:
                for key in ("/First", "/Last", "/Count"):
                    item.pop(NameObject(key), None)
                changed[reference.idnum] = (reference.generation, item)
            return 0
        count = 0
        child = item.raw_get("/First") if "/First" in item else None
        while isinstance(child, IndirectObject):
            count += 1 + cut(child, level + 1)
            sibling = dictionary(child)
            child = sibling.raw_get("/Next") if "/Next" in sibling else None
        if "/Count" in item and count != abs(int(str(item["/Count"]))):
            # Open or closed, as Chromium made it.
            closed = int(str(item["/Count"])) < 0
            item[NameObject("/Count")] = NumberObject(-count if closed else count)
            changed[reference.idnum] = (reference.generation, item)
        return count

    catalog = dictionary(root)
    outlines = catalog.raw_get("/Outlines") if "/Outlines" in catalog else None
    if isinstance(outlines, IndirectObject):
        cut(outlines, 0)

    info = dictionary(reader.trailer.raw_get("/Info")) if "/Info" in reader.trailer else {}
    size = int(str(reader.trailer["/Size"]))
    metadata = DecodedStreamObject()
    metadata[NameObject("/Type")] = NameObject("/Metadata")
    metadata[NameObject("/Subtype")] = NameObject("/XML")
    metadata.set_data(
        XMP.format(
            title=html_module.escape(str(info.get("/Title", ""))),
            language=html_module.escape(str(catalog.get("/Lang", ""))),
            producer=html_module.escape(str(info.get("/Producer", ""))),
        ).encode()
    )
    changed[size] = (0, metadata)
    catalog[NameObject("/Metadata")] = IndirectObject(size, 0, reader)
    changed[root.idnum] = (root.generation, catalog)

    out = io.BytesIO()
    # PDF/UA-1 is a PDF 1.7 profile; Chromium writes 1.4 (a subset). Same length: the
    # offsets stay right.
    out.write(pdf.replace(b"%PDF-1.4", b"%PDF-1.7", 1) if pdf.startswith(b"%PDF-1.4") else pdf)
    if not pdf.endswith(b"\n"):
        out.write(b"\n")
    offsets = []
    for number, (generation, item) in sorted(changed.items()):
        offsets.append((number, generation, out.tell()))
        out.write(f"{number} {generation} obj\n".encode())
        item.write_to_stream(out)
        out.write(b"\nendobj\n")
    table = out.tell()
    out.write(b"xref\n0 1\n0000000000 65535 f \n")
    for number, generation, offset in offsets:
        out.write(f"{number} 1\n{offset:010d} {generation:05d} n \n".encode())
    trailer = DictionaryObject(
        {
            NameObject(key): reader.trailer.raw_get(key)
            for key in ("/Root", "/Info", "/ID")
            if key in reader.trailer
        }
    )
    trailer[NameObject("/Size")] = NumberObject(size + 1)
    trailer[NameObject("/Prev")] = NumberObject(int(previous[-1]))
    out.write(b"trailer\n")
    trailer.write_to_stream(out)
    out.write(f"\nstartxref\n{table}\n%%EOF\n".encode())
    return out.getvalue()
