"""The funnels of the nine trajectories that funding/demo/trajectories.py creates as calls of
its own.

Who answered each call, who assessed it, and how far it got: the feasibility studies (or
an innovation partnership's R&D phase), then for the calls of 2019–2020 the prototypes (or
the purchase). The calls of 2021 are still in their first phase. Written by
`proposals.demo_funnel.history_load`; companies, people and KvK numbers are made up.
"""

from proposals.demo.funnel import History

# Committees: (e-mail, name, expertise, staff of the authority?), the chair first.
DEFENSIE = [
    (
        "e.brandsma@mindef.example",
        "Kol. ir. Erik Brandsma",
        "Vastgoed en energie, voorzitter",
        True,
    ),
    ("s.koster@mindef.example", "Ing. Sandra Koster", "Energievoorziening van kampementen", True),
    (
        "m.schouten@energiesystemen.example",
        "Dr. Menno Schouten",
        "Energiesystemen (onafhankelijk)",
        False,
    ),
]
ROTTERDAM = [
    ("j.vermeer@rotterdam.example", "Ir. Jolanda Vermeer", "Kademuren, voorzitter", True),
    ("b.deridder@rotterdam.example", "Ing. Bas de Ridder", "Constructeur ingenieursbureau", True),
    (
        "h.teunissen@geotechniek.example",
        "Prof. dr. ir. Hans Teunissen",
        "Geotechniek (onafhankelijk)",
        False,
    ),
]
GELDERLAND = [
    ("m.gerritsen@gelderland.example", "Drs. Marjolein Gerritsen", "Ecologie, voorzitter", True),
    ("w.arendsen@gelderland.example", "Wim Arendsen", "Beheer en onderhoud wegen", True),
    (
        "i.kuiper@natuurkennis.example",
        "Dr. Ingrid Kuiper",
        "Ecologie en landbouw (onafhankelijk)",
        False,
    ),
]
GELDERLAND_LANDBOUW = [
    GELDERLAND[0],
    ("a.lubbers@gelderland.example", "Ir. Anne Lubbers", "Landbouw en stikstof", True),
    GELDERLAND[2],
]
AA_EN_MAAS = [
    (
        "t.vdheuvel@aaenmaas.example",
        "Ir. Toon van den Heuvel",
        "Zuiveringsbeheer, voorzitter",
        True,
    ),
    ("l.verbeek@aaenmaas.example", "Dr. Linda Verbeek", "Waterkwaliteit", True),
    (
        "m.steenbergen@milieuchemie.example",
        "Prof. dr. Marco Steenbergen",
        "Milieuchemie (onafhankelijk)",
        False,
    ),
]
AMSTERDAM = [
    ("n.bakker@amsterdam.example", "Ir. Noor Bakker", "Bouwlogistiek, voorzitter", True),
    ("k.groen@amsterdam.example", "Kees Groen", "Verkeer en openbare ruimte", True),
    (
        "j.hoekstra@stadslogistiek.example",
        "Dr. Jasper Hoekstra",
        "Stadslogistiek (onafhankelijk)",
        False,
    ),
]
RIJKSWATERSTAAT = [
    ("g.hofman@rws.example", "Ir. Gert-Jan Hofman", "Tunnelbeheer, voorzitter", True),
    ("beoordelaar@rws.example", "Pieter Bakker", "Assetmanagement kunstwerken", True),
    (
        "a.smeets@energietechniek.example",
        "Dr. ir. Anne Smeets",
        "Energietechniek (onafhankelijk)",
        False,
    ),
]
ZUID_HOLLAND = [
    ("m.zwart@zuid-holland.example", "Ir. Monique Zwart", "Vaarwegbeheer, voorzitter", True),
    ("r.dekker@zuid-holland.example", "Ruben Dekker", "Duurzaamheid in de GWW", True),
    (
        "p.schaap@maritiemkennis.example",
        "Dr. ir. Pieter Schaap",
        "Scheepvaarttechniek (onafhankelijk)",
        False,
    ),
]
ZONMW = [
    ("e.vos@zonmw.example", "Dr. Ellen Vos", "Programmasecretaris, voorzitter", True),
    ("k.benali@zonmw.example", "Drs. Karim Benali", "Zorg en technologie", True),
    ("r.wolters@ouderenzorg.example", "Dr. Ria Wolters", "Ouderenzorg (onafhankelijk)", False),
]

FUNNELS = {
    "SBIR Energie-autonome legerplaats": History(
        theme="een legerplaats zonder dieselaggregaten van stroom en warmte voorziet",
        committee=DEFENSIE,
        entries=[
            ("Zonnepark Techniek Nederland B.V.", "Maarten Hoogland", "Mobiel zonnepark"),
            ("Waterstof Veldsystemen B.V.", "Lieke Bosman", "Waterstofaggregaat voor het veld"),
            ("Microgrid Solutions Delft B.V.", "Arjen Bouwman", "Slim microgrid voor het kamp"),
            ("Energiek Kampement B.V.", "Roel Timmermans", "Tenten met warmteopslag"),
            ("Brabant Accu Systemen B.V.", "Joyce van Gils", "Robuuste accu's voor het veld"),
            ("Windkracht Mobiel B.V.", "Sander Wijnands", "Opvouwbare windturbine"),
            ("Thermo Opslag Twente B.V.", "Gijs Oude Luttikhuis", "Warmtebatterij op zoutbasis"),
            ("Veldkracht Energie B.V.", "Nina Hofman", "Energiemanagement voor het hele kamp"),
            ("Noordzee Energy Labs B.V.", "Bart Vonk", "Hybride generator op zon en biodiesel"),
            ("Solar Canvas Eindhoven B.V.", "Emma Claassen", "Zonnecellen in tentdoek"),
        ],
        awarded=5,
        applied=4,
        awarded_later=2,
    ),
    "Innovatiepartnerschap circulaire kademuren": History(
        theme="oude kademuren vervangt zonder nieuwe grondstoffen te verbruiken",
        committee=ROTTERDAM,
        entries=[
            ("Modulair Bouwen Nederland B.V.", "Frank Molenaar", "Prefab kademuur van oud beton"),
            ("Van Dijk Infra Engineering B.V.", "Erik van Dijk", "Kademuur als materiaalbank"),
            ("Havenbouw Circulair B.V.", "Ilona Verschoor", "Damwand van hergebruikt staal"),
            ("Dijkstra Geotechniek B.V.", "Hilde Dijkstra", "Herbruikbare funderingen"),
            ("Maasoever Bouwcombinatie V.O.F.", "Youri Pieterse", "Kademuur van biocomposiet"),
        ],
        awarded=2,
        applied=2,
        awarded_later=1,
    ),
    "SBIR Biodiverse bermen": History(
        theme="provinciale bermen rijker aan planten en insecten maakt",
        committee=GELDERLAND,
        entries=[
            ("Bermbeheer Oost B.V.", "Henk Kamphuis", "Maaien op de juiste dag met satellietdata"),
            ("Bloeiende Bermen B.V.", "Femke Scholten", "Zaadmengsels van eigen streek"),
            ("Maaisel Verwaarding Nederland B.V.", "Dennis Reinders", "Bermgras wordt karton"),
            ("Insectenmonitor B.V.", "Sara Pol", "Insecten tellen met camera's"),
            ("Veluwse Groenwerken B.V.", "Jan-Willem Klein", "Lichte maaier die de bodem spaart"),
            ("Ecotoop Data B.V.", "Rianne Evers", "Kaart van de biodiversiteit per berm"),
            ("Achterhoekse Loonwerkers Coöperatie U.A.", "Gerben Wolters", "Maaisel vergisten"),
            ("Natuurinclusief Ingenieurs B.V.", "Yara Mertens", "Ontwerpregels voor bermen"),
        ],
        awarded=4,
        applied=3,
        awarded_later=2,
    ),
    "SBIR Medicijnresten uit afvalwater": History(
        theme="medicijnresten uit het afvalwater haalt voordat het de Maas bereikt",
        committee=AA_EN_MAAS,
        entries=[
            ("AquaZuiver Technologies B.V.", "Koen Verstegen", "Ozon en actief kool in één stap"),
            ("Membraan Innovaties Brabant B.V.", "Petra Hermans", "Keramische membranen"),
            ("Biofilter Solutions B.V.", "Stijn van Beek", "Schimmels die medicijnen afbreken"),
            ("Plasma Water Technologies B.V.", "Ahmed Ouadi", "Plasma-oxidatie"),
            ("Zuiver Water Sensoren B.V.", "Marieke Donkers", "Medicijnresten online meten"),
            ("Kool Regeneratie Nederland B.V.", "Frans Bressers", "Actief kool ter plaatse"),
            ("UV Waterlab Eindhoven B.V.", "Chantal Gerrits", "UV-licht met waterstofperoxide"),
            ("Algen Zuivering B.V.", "Tijmen de Bruin", "Algenvijver als laatste stap"),
            ("Ziekenhuis Afvalwater Advies B.V.", "Esther Martens", "Zuiveren bij de bron"),
        ],
        awarded=5,
        applied=3,
        awarded_later=2,
    ),
    "Innovatiepartnerschap emissievrije bouwlogistiek": History(
        theme="bouwmaterialen zonder uitstoot door de stad vervoert",
        committee=AMSTERDAM,
        entries=[
            ("Stadshub Logistiek B.V.", "Rick Vermeulen", "Bouwhubs aan de rand van de stad"),
            ("Elektrisch Materieel Verhuur B.V.", "Mirjam Koopman", "Elektrisch materieel"),
            ("Waterbouwlogistiek Amsterdam B.V.", "Pim Jonker", "Bouwmaterialen over water"),
            ("Bouwstroom Energie B.V.", "Hanna Visscher", "Mobiele laadpalen op de bouwplaats"),
            ("Modulair Bouwen Nederland B.V.", "Frank Molenaar", "Prefab op afroep"),
            ("Cargobike Bouw B.V.", "Laura Schipper", "Lichte elektrische bouwvoertuigen"),
        ],
        awarded=2,
        applied=2,
        awarded_later=1,
    ),
    "SBIR Energieneutrale tunnels": History(
        theme="een tunnel evenveel energie laat opwekken als hij gebruikt",
        committee=RIJKSWATERSTAAT,
        entries=[
            ("Tunnelverlichting Innovaties B.V.", "Jeroen Meester", "Ledverlichting op daglicht"),
            ("Microgrid Solutions Delft B.V.", "Arjen Bouwman", "De tunnel als eigen microgrid"),
            ("Ventilatie Slim B.V.", "Marloes Kok", "Ventilatoren alleen als het nodig is"),
            ("Thermo Opslag Twente B.V.", "Gijs Oude Luttikhuis", "Tunnelwarmte in de bodem"),
            ("Zonnegeluidwand B.V.", "Peter Hendrix", "Zonnepanelen bij de tunnelmond"),
            ("Sensorbrug B.V.", "Youssef Amrani", "Energieverbruik per installatie meten"),
            ("Infra Energie Advies B.V.", "Wendy Kuijpers", "Digitale tweeling van het verbruik"),
            ("Brabant Accu Systemen B.V.", "Joyce van Gils", "Batterijen voor noodstroom"),
            ("Lichtlijn Technologie B.V.", "Olaf Brink", "Daglicht via lichtgeleiders"),
        ],
        awarded=4,
        applied=3,
        awarded_later=2,
    ),
    "SBIR Waterstof voor de binnenvaart": History(
        theme="binnenvaartschepen op waterstof laat varen",
        committee=ZUID_HOLLAND,
        entries=[
            ("Groene Vaarweg Techniek B.V.", "Rob Zwanenburg", "Waterstof-elektrische duwboot"),
            ("Waterstof Veldsystemen B.V.", "Lieke Bosman", "Wisselcontainers met waterstof"),
            ("Binnenvaart Brandstofcellen B.V.", "Dirk Verhagen", "Brandstofcelmodule"),
            ("Rijn-Schelde Bunkerservice B.V.", "Gerard Mol", "Veilig waterstof bunkeren"),
            ("Scheepswerf Alblasserdam Innovatie B.V.", "Marco den Hartog", "Ombouwpakket"),
            ("H2 Opslag Systemen B.V.", "Irene Blom", "Waterstof in vaste stof aan boord"),
            ("Maritiem Energie Advies B.V.", "Nienke Roos", "Rekentool voor de overstap"),
        ],
        awarded=4,
    ),
    "SBIR Kringlooplandbouw zonder stikstofoverschot": History(
        theme="een boerenbedrijf zonder stikstofoverschot laat werken",
        committee=GELDERLAND_LANDBOUW,
        entries=[
            ("Bodemleven Analyse B.V.", "Hester Wiegers", "Stikstofbalans per perceel"),
            ("Mestraffinage Oost B.V.", "Bert Hulshof", "Mest als kunstmestvervanger"),
            ("Kringloop Voer B.V.", "Anke Brinkman", "Eiwitrijk voer van eigen land"),
            ("Stalvloer Innovatie B.V.", "Teun Jansen", "Emissiearme stalvloer"),
            ("Precisie Bemesting B.V.", "Sven Lammers", "Bemesten op basis van gewasbeelden"),
            ("Achterhoekse Loonwerkers Coöperatie U.A.", "Gerben Wolters", "Mest en maaisel"),
        ],
        awarded=3,
    ),
    "SBIR Langer thuis met slimme zorgtechnologie": History(
        theme="ouderen met slimme technologie langer veilig thuis laat wonen",
        committee=ZONMW,
        entries=[
            ("Zorgsensor Nederland B.V.", "Marleen de Haan", "Valdetectie zonder camera"),
            ("Thuiszorg Robotics B.V.", "Vincent Kok", "Zorgrobot voor medicijninname"),
            ("Slimme Woning Technologie B.V.", "Carla Boer", "Sensoren die het dagritme volgen"),
            ("Beeldzorg Op Afstand B.V.", "Mehmet Kaya", "Beeldbellen met één knop"),
            ("Medicatie Assistent B.V.", "Judith Prins", "Medicijndispenser met herinnering"),
            ("Mantelzorg Connect B.V.", "Robin van Wijk", "Mantelzorger en wijkteam verbonden"),
            ("Leefstijl Monitor B.V.", "Joris Bakker", "Beweegcoach voor ouderen"),
            ("Dementie Tech B.V.", "Sabine Kuipers", "Veilig naar buiten met dementie"),
            ("Veilig Thuis Alarm B.V.", "Hans Peeters", "Personenalarmering met spraak"),
            ("Samen Online Zorg B.V.", "Femke de Lange", "Tablet voor buren en familie"),
        ],
        awarded=5,
    ),
}
