#!/usr/bin/env python3
"""Numbers the headings of a pandoc DOCX through its styles, as the Committee's Word
documents number their agenda items: Heading 1 and Heading 2 get w:numPr in styles.xml,
pointing at a definition "%1." / "%1.%2." added to numbering.xml.
Usage: number-headings.py IN.docx OUT.docx"""
import sys
import zipfile

DEFINITION = ('<w:abstractNum w:abstractNumId="77"><w:multiLevelType w:val="multilevel"/>'
              '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
              '<w:pStyle w:val="Heading1"/><w:lvlText w:val="%1."/></w:lvl>'
              '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
              '<w:pStyle w:val="Heading2"/><w:lvlText w:val="%1.%2."/></w:lvl></w:abstractNum>'
              '<w:num w:numId="77"><w:abstractNumId w:val="77"/></w:num>')

with zipfile.ZipFile(sys.argv[1]) as zin:
    parts = [(info, zin.read(info.filename)) for info in zin.infolist()]
with zipfile.ZipFile(sys.argv[2], "w", zipfile.ZIP_DEFLATED) as zout:
    for info, data in parts:
        if info.filename == "word/styles.xml":
            text = data.decode()
            for level in (0, 1):
                old = f'<w:outlineLvl w:val="{level}" />'
                if old not in text:
                    sys.exit(f"number-headings: no outline level {level} in styles.xml")
                text = text.replace(old, f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="77"/>'
                                         f'</w:numPr>' + old, 1)
            data = text.encode()
        elif info.filename == "word/numbering.xml":
            data = data.decode().replace("</w:numbering>", DEFINITION + "</w:numbering>").encode()
        zout.writestr(info, data)
