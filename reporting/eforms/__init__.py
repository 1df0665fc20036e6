"""eForms procurement notices (UBL 2.3 with the eForms extensions, SDK 1.15.1).

- ``sdk/1.15.1/``: the parts of the official eForms SDK (OP-TED/eForms-SDK, tag 1.15.1, CC BY
  4.0, see its LICENSE) the portal uses offline: the XSDs and the field catalogue.
- ``catalogue``: the business terms (BT-…) of the field catalogue, and which of them a notice
  subtype must carry.
- ``builder``: the XML of a competition, change or result notice, from the portal's data.
- ``validation``: a notice checked against the XSD and the mandatory business terms, with
  every problem in words.
"""

from pathlib import Path

SDK_VERSION = "1.15.1"
SDK_DIR = Path(__file__).resolve().parent / "sdk" / SDK_VERSION
CUSTOMIZATION_ID = "eforms-sdk-1.15"
