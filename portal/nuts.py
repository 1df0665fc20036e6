"""The regions of the Netherlands in NUTS 2024, level 3 (COROP areas), as eForms takes them.

The eForms SDK 1.15 accepts only NUTS 2024 codes of level 3 for an organisation's address
(BT-507) and for the place of performance (BT-5071): its Schematron rules BR-BT-00507-0205 and
BR-BT-05071-0154 list them (tests/portal/test_nuts.py holds this list against those rules).

NUTS 2024 changed three provinces: Utrecht became NL35 (NL310 → NL350), Zuid-Holland NL36
(NL332 → NL361 and so on), and Noord-Holland's Agglomeratie Haarlem and Groot-Amsterdam,
Groningen's and Friesland's areas and two of Noord-Brabant's got new codes (``RENAMED``).
"""

from django.utils.translation import gettext_lazy as _

# Code: (province, area). Names are the CBS's, which the NUTS classification uses.
REGIONS: dict[str, tuple[str, str]] = {
    "NL112": ("Groningen", "Delfzijl en omgeving"),
    "NL114": ("Groningen", "Oost-Groningen"),
    "NL115": ("Groningen", "Overig Groningen"),
    "NL126": ("Friesland", "Zuidoost-Friesland"),
    "NL127": ("Friesland", "Noord-Friesland"),
    "NL128": ("Friesland", "Zuidwest-Friesland"),
    "NL131": ("Drenthe", "Noord-Drenthe"),
    "NL132": ("Drenthe", "Zuidoost-Drenthe"),
    "NL133": ("Drenthe", "Zuidwest-Drenthe"),
    "NL211": ("Overijssel", "Noord-Overijssel"),
    "NL212": ("Overijssel", "Zuidwest-Overijssel"),
    "NL213": ("Overijssel", "Twente"),
    "NL221": ("Gelderland", "Veluwe"),
    "NL224": ("Gelderland", "Zuidwest-Gelderland"),
    "NL225": ("Gelderland", "Achterhoek"),
    "NL226": ("Gelderland", "Arnhem/Nijmegen"),
    "NL230": ("Flevoland", "Flevoland"),
    "NL321": ("Noord-Holland", "Kop van Noord-Holland"),
    "NL323": ("Noord-Holland", "IJmond"),
    "NL325": ("Noord-Holland", "Zaanstreek"),
    "NL327": ("Noord-Holland", "Het Gooi en Vechtstreek"),
    "NL328": ("Noord-Holland", "Alkmaar en omgeving"),
    "NL32A": ("Noord-Holland", "Agglomeratie Haarlem"),
    "NL32B": ("Noord-Holland", "Groot-Amsterdam"),
    "NL341": ("Zeeland", "Zeeuwsch-Vlaanderen"),
    "NL342": ("Zeeland", "Overig Zeeland"),
    "NL350": ("Utrecht", "Utrecht"),
    "NL361": ("Zuid-Holland", "Agglomeratie 's-Gravenhage"),
    "NL362": ("Zuid-Holland", "Delft en Westland"),
    "NL363": ("Zuid-Holland", "Agglomeratie Leiden en Bollenstreek"),
    "NL364": ("Zuid-Holland", "Oost-Zuid-Holland"),
    "NL365": ("Zuid-Holland", "Zuidoost-Zuid-Holland"),
    "NL366": ("Zuid-Holland", "Groot-Rijnmond"),
    "NL411": ("Noord-Brabant", "West-Noord-Brabant"),
    "NL414": ("Noord-Brabant", "Zuidoost-Noord-Brabant"),
    "NL415": ("Noord-Brabant", "Midden-Noord-Brabant"),
    "NL416": ("Noord-Brabant", "Noordoost-Noord-Brabant"),
    "NL421": ("Limburg", "Noord-Limburg"),
    "NL422": ("Limburg", "Midden-Limburg"),
    "NL423": ("Limburg", "Zuid-Limburg"),
}

# NUTS 2021 codes the portal may hold, and the NUTS 2024 code of the very same area: only true
# renames (and Utrecht's province, which is one area). A code with no single equivalent (the
# whole country "NL", a province of several areas such as NL33) is left as it is: the forms
# then ask the officer to choose the area, and the notice's check names it meanwhile.
RENAMED: dict[str, str] = {
    "NL111": "NL114",
    "NL113": "NL115",
    "NL124": "NL127",
    "NL125": "NL128",
    "NL310": "NL350",
    "NL31": "NL350",
    "NL324": "NL32A",
    "NL329": "NL32B",
    "NL332": "NL361",
    "NL333": "NL362",
    "NL337": "NL363",
    "NL33B": "NL364",
    "NL33A": "NL365",
    "NL33C": "NL366",
    "NL412": "NL415",
    "NL413": "NL416",
}


def nuts_choices() -> list[tuple[str, str]]:
    return [(code, f"{code} – {area} ({province})") for code, (province, area) in REGIONS.items()]


def nuts_2024(code: str) -> str:
    """The NUTS 2024 code for a code the portal may hold from before (unchanged if current)."""
    return RENAMED.get(code, code)


NUTS_HELP = _("The region (NUTS 2024, level 3) in the Netherlands, e.g. NL350 for Utrecht.")

# The choices as one list: the API schema names them once (ENUM_NAME_OVERRIDES).
NUTS_CHOICES = nuts_choices()
