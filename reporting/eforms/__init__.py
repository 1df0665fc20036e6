"""eForms procurement notices (UBL 2.3 with the eForms extensions, SDK 1.15.1).

- ``sdk/1.15.1/``: the parts of the official eForms SDK (OP-TED/eForms-SDK, tag 1.15.1, commit
  184afa7d, CC BY 4.0, see its LICENSE) the portal uses offline: the XSDs, the field catalogue,
  the static Schematron rules of the subtypes it makes (``schematrons/static``: the main file
  and the patterns of phases ``eforms-16`` and ``eforms-29``) and the fields' names in English
  and Dutch (``translations/field_*.xml``). The SDK's rule messages (``translations/rule_*.xml``)
  are not copied: the failed asserts are put in words from the kind of test and the field's
  name (``validation.RULE_MESSAGES``).
- ``schematron``: the rules compiled to XSLT 3.0 and run with Saxon-HE (an SVRL report).
- ``catalogue``: the business terms (BT-…) of the field catalogue, and which of them a notice
  subtype must carry.
- ``builder``: the XML of a competition, change or result notice, from the portal's data.
- ``validation``: a notice checked against the XSD, the mandatory business terms and the
  Schematron rules; every problem stored as a code, put in words when shown.
"""

from pathlib import Path

SDK_VERSION = "1.15.1"
SDK_DIR = Path(__file__).resolve().parent / "sdk" / SDK_VERSION
CUSTOMIZATION_ID = "eforms-sdk-1.15"
