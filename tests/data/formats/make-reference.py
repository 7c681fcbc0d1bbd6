#!/usr/bin/env python3
"""Writes reference.docx: pandoc's default reference document with a page header that
carries a document code and a footer with PAGE / NUMPAGES fields, as the Committee's
documents have. Usage: make-reference.py OUT.docx (runs pandoc for the default)."""
import io
import re
import subprocess
import sys
import zipfile

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HEADER = f'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:hdr {W}><w:p><w:pPr><w:jc w:val="right"/></w:pPr><w:r><w:t>T-ES(2019)07_en final</w:t></w:r></w:p></w:hdr>'''
FOOTER = f'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr {W}><w:p><w:r><w:t xml:space="preserve">Page </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r><w:r><w:t xml:space="preserve"> of </w:t></w:r><w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p></w:ftr>'''

src = subprocess.run(["pandoc", "--print-default-data-file", "reference.docx"],
                     check=True, capture_output=True).stdout
out = io.BytesIO()
with zipfile.ZipFile(io.BytesIO(src)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == "word/document.xml":
            text = data.decode()
            sect = ('<w:sectPr><w:headerReference w:type="default" r:id="rIdHdr1"/>'
                    '<w:footerReference w:type="default" r:id="rIdFtr1"/>')
            if re.search(r"<w:sectPr\s*/>", text):
                text = re.sub(r"<w:sectPr\s*/>", sect + "</w:sectPr>", text, count=1)
            elif "<w:sectPr>" in text:
                text = text.replace("<w:sectPr>", sect, 1)
            else:
                text = text.replace("</w:body>", sect + "</w:sectPr></w:body>")
            data = text.encode()
        elif item.filename == "word/_rels/document.xml.rels":
            text = data.decode().replace("</Relationships>",
                f'<Relationship Id="rIdHdr1" Type="{REL}/header" Target="header1.xml"/>'
                f'<Relationship Id="rIdFtr1" Type="{REL}/footer" Target="footer1.xml"/></Relationships>')
            data = text.encode()
        elif item.filename == "[Content_Types].xml":
            ct = "application/vnd.openxmlformats-officedocument.wordprocessingml"
            text = data.decode().replace("</Types>",
                f'<Override PartName="/word/header1.xml" ContentType="{ct}.header+xml"/>'
                f'<Override PartName="/word/footer1.xml" ContentType="{ct}.footer+xml"/></Types>')
            data = text.encode()
        zout.writestr(item, data)
    zout.writestr("word/header1.xml", HEADER)
    zout.writestr("word/footer1.xml", FOOTER)
with open(sys.argv[1], "wb") as f:
    f.write(out.getvalue())
