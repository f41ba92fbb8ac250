"""Static facts for the demo data (``dfdg.db.seed``): municipalities, a-kasser, names, words.

Only the municipality codes and names are facts of record (the 98 Danish municipalities since
2007, with their official 3-digit codes); everything else is plausible vocabulary for demo rows.
"""

from __future__ import annotations

# (kommunekode, name) — the 98 municipalities, official codes. The name is the one used in
# "Jobcenter <name>"; the municipality itself may be written in genitive ("Københavns Kommune").
KOMMUNER: list[tuple[str, str]] = [
    ("101", "København"), ("147", "Frederiksberg"), ("151", "Ballerup"), ("153", "Brøndby"),
    ("155", "Dragør"), ("157", "Gentofte"), ("159", "Gladsaxe"), ("161", "Glostrup"),
    ("163", "Herlev"), ("165", "Albertslund"), ("167", "Hvidovre"), ("169", "Høje-Taastrup"),
    ("173", "Lyngby-Taarbæk"), ("175", "Rødovre"), ("183", "Ishøj"), ("185", "Tårnby"),
    ("187", "Vallensbæk"), ("190", "Furesø"), ("201", "Allerød"), ("210", "Fredensborg"),
    ("217", "Helsingør"), ("219", "Hillerød"), ("223", "Hørsholm"), ("230", "Rudersdal"),
    ("240", "Egedal"), ("250", "Frederikssund"), ("253", "Greve"), ("259", "Køge"),
    ("260", "Halsnæs"), ("265", "Roskilde"), ("269", "Solrød"), ("270", "Gribskov"),
    ("306", "Odsherred"), ("316", "Holbæk"), ("320", "Faxe"), ("326", "Kalundborg"),
    ("329", "Ringsted"), ("330", "Slagelse"), ("336", "Stevns"), ("340", "Sorø"),
    ("350", "Lejre"), ("360", "Lolland"), ("370", "Næstved"), ("376", "Guldborgsund"),
    ("390", "Vordingborg"), ("400", "Bornholm"), ("410", "Middelfart"), ("420", "Assens"),
    ("430", "Faaborg-Midtfyn"), ("440", "Kerteminde"), ("450", "Nyborg"), ("461", "Odense"),
    ("479", "Svendborg"), ("480", "Nordfyn"), ("482", "Langeland"), ("492", "Ærø"),
    ("510", "Haderslev"), ("530", "Billund"), ("540", "Sønderborg"), ("550", "Tønder"),
    ("561", "Esbjerg"), ("563", "Fanø"), ("573", "Varde"), ("575", "Vejen"),
    ("580", "Aabenraa"), ("607", "Fredericia"), ("615", "Horsens"), ("621", "Kolding"),
    ("630", "Vejle"), ("657", "Herning"), ("661", "Holstebro"), ("665", "Lemvig"),
    ("671", "Struer"), ("706", "Syddjurs"), ("707", "Norddjurs"), ("710", "Favrskov"),
    ("727", "Odder"), ("730", "Randers"), ("740", "Silkeborg"), ("741", "Samsø"),
    ("746", "Skanderborg"), ("751", "Aarhus"), ("756", "Ikast-Brande"),
    ("760", "Ringkøbing-Skjern"), ("766", "Hedensted"), ("773", "Morsø"), ("779", "Skive"),
    ("787", "Thisted"), ("791", "Viborg"), ("810", "Brønderslev"), ("813", "Frederikshavn"),
    ("820", "Vesthimmerland"), ("825", "Læsø"), ("840", "Rebild"), ("846", "Mariagerfjord"),
    ("849", "Jammerbugt"), ("851", "Aalborg"), ("860", "Hjørring"),
]
assert len(KOMMUNER) == 98 and len({k for k, _ in KOMMUNER}) == 98

# Municipalities that have a second (sub-)jobcentre: number kommunekode + "01" (R6.2-a: same
# authority as kommunekode + "00").
UNDERJOBCENTRE: dict[str, str] = {
    "101": "Jobcenter København, Musikbyen",
    "223": "Jobcenter Hørsholm, Virksomhedsservice",
    "265": "Jobcenter Roskilde, Unge",
    "461": "Jobcenter Odense, Ungeenheden",
    "561": "Jobcenter Esbjerg, Virksomhedsservice",
    "630": "Jobcenter Vejle, Unge",
    "751": "Jobcenter Aarhus, Jobcenter Syd",
    "851": "Jobcenter Aalborg, Ungeenheden",
}


def jobcentre() -> list[tuple[str, str, str]]:
    """(nummer, navn, myndighed) of every jobcentre, main ones first, then the sub-jobcentres."""
    rows = [(kode + "00", f"Jobcenter {navn}", kode) for kode, navn in KOMMUNER]
    rows += [(kode + "01", navn, kode) for kode, navn in UNDERJOBCENTRE.items()]
    return rows


# (nummer, navn, relative size) — 22 a-kasser. The numbers are this project's own short ids.
AKASSER: list[tuple[str, str, int]] = [
    ("1", "3F A-kasse", 20),
    ("2", "HK A-kasse", 12),
    ("3", "Krifa A-kasse", 10),
    ("4", "Ase", 10),
    ("5", "FOA A-kasse", 7),
    ("6", "Min A-kasse", 7),
    ("7", "Akademikernes A-kasse", 8),
    ("8", "Metal A-kasse", 6),
    ("9", "Det Faglige Hus A-kasse", 4),
    ("10", "CA a-kasse", 3),
    ("11", "BUPL-A", 2),
    ("12", "Lederne A-kasse", 2),
    ("13", "Dansk El-Forbunds A-kasse", 2),
    ("14", "Fødevareforbundet NNF's A-kasse", 2),
    ("15", "Blik- og Rørarbejderforbundets A-kasse", 1),
    ("16", "Lærernes A-kasse", 2),
    ("17", "Socialpædagogernes A-kasse", 1),
    ("18", "Teknikernes A-kasse", 1),
    ("19", "Frie Funktionærers A-kasse", 1),
    ("20", "A-kassen for journalistik, kommunikation og sprog", 1),
    ("21", "Din Sundhedsfaglige A-kasse", 2),
    ("22", "Ingeniørernes A-kasse", 1),
]
assert len(AKASSER) == 22

FORNAVNE_MAEND = [
    "Peter", "Michael", "Lars", "Jens", "Thomas", "Henrik", "Søren", "Christian", "Martin", "Jan",
    "Morten", "Rasmus", "Anders", "Niels", "Mads", "Jesper", "Mikkel", "Frederik", "Kim", "Hans",
    "Jørgen", "Per", "Ole", "Poul", "Kasper", "Jacob", "Daniel", "Nikolaj", "Mathias", "Emil",
    "Jonas", "Simon", "Allan", "Brian", "Bo", "Carsten", "Claus", "Erik", "Flemming", "Torben",
    "Steen", "Kenneth", "Magnus", "Oliver", "William", "Lucas", "Noah", "Malthe", "Victor",
    "Oscar", "Tobias", "Alexander", "Sebastian", "Jakob", "Kristian", "Bent", "Knud", "Ali",
    "Mohammad", "Ahmad", "Omar", "Piotr", "Tomasz",
]
FORNAVNE_KVINDER = [
    "Anne", "Kirsten", "Mette", "Hanne", "Anna", "Helle", "Susanne", "Lene", "Maria", "Marianne",
    "Lone", "Camilla", "Pia", "Louise", "Charlotte", "Inge", "Bente", "Tina", "Gitte", "Karen",
    "Ida", "Emma", "Sofie", "Julie", "Laura", "Cecilie", "Katrine", "Line", "Maja", "Freja",
    "Signe", "Mathilde", "Caroline", "Christina", "Rikke", "Trine", "Birgitte", "Dorthe", "Jette",
    "Lise", "Malene", "Nanna", "Sara", "Stine", "Tanja", "Vibeke", "Ellen", "Astrid", "Clara",
    "Alma", "Ella", "Josefine", "Amalie", "Emilie", "Nadia", "Fatima", "Aisha", "Zeynep",
    "Agnieszka", "Anja", "Mia", "Pernille",
]
EFTERNAVNE = [
    "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen",
    "Rasmussen", "Jørgensen", "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen",
    "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen", "Knudsen", "Jakobsen",
    "Jacobsen", "Mikkelsen", "Olesen", "Frederiksen", "Laursen", "Henriksen", "Lund", "Schmidt",
    "Eriksen", "Holm", "Kristiansen", "Clausen", "Simonsen", "Svendsen", "Andreasen", "Iversen",
    "Jeppesen", "Mogensen", "Jespersen", "Nissen", "Lauridsen", "Frandsen", "Østergaard",
    "Jepsen", "Kjær", "Carlsen", "Vestergaard", "Jessen", "Nørgaard", "Dahl", "Christoffersen",
    "Skov", "Søndergaard", "Bertelsen", "Bruun", "Lassen", "Bach", "Gregersen", "Friis",
    "Johnsen", "Steffensen", "Kjeldsen", "Bech", "Krogh", "Lauritsen", "Danielsen", "Mathiesen",
    "Andresen", "Brandt", "Winther", "Toft", "Ravn", "Dam", "Holst", "Berg", "Schou",
    "Overgaard", "Enevoldsen", "Hermansen", "Thygesen", "Kjærgaard", "Nygaard", "Juhl", "Bak",
    "Hussein", "Ali", "Yilmaz", "Khan", "Nguyen", "Kowalski", "Nowak",
]

# Company names: [prefix] + core + suffix, or "<surname> & Søn".
FIRMA_PRAEFIKSER = [
    "Nordisk", "Dansk", "Jysk", "Fynsk", "Sjællandsk", "Vestjysk", "Nordjysk", "Sønderjysk",
    "Aros", "Hafnia", "Kyst", "Fjord", "Skov", "Sund", "Bølge", "Nord", "Syd", "Øst", "Vest",
    "Lynge", "Bakke", "Havne", "Ny", "Grøn", "Blå", "Solskin", "Kronborg", "Limfjords",
]
FIRMA_KERNER = [
    "Byg", "Tømrer", "VVS", "El", "Transport", "Logistik", "Data", "IT", "Rengøring", "Catering",
    "Maskin", "Stål", "Træ", "Plast", "Fødevarer", "Bageri", "Slagteri", "Auto", "Revision",
    "Ejendomsservice", "Anlæg", "Gartneri", "Entreprise", "Montage", "Service", "Handel",
    "Emballage", "Energi", "Software", "Vikar", "Pleje", "Teknik", "Smedie", "Murer", "Maler",
]
FIRMA_SUFFIKSER = ["ApS", "A/S", "A/S", "ApS", "ApS", "I/S", "K/S", "P/S"]
ENHED_BETEGNELSER = [
    "Hovedkontor", "Lager", "Afdeling", "Værksted", "Butik", "Produktion", "Filial",
]

STILLINGSBETEGNELSER = [
    "Lagermedarbejder", "Chauffør", "Social- og sundhedshjælper", "Social- og sundhedsassistent",
    "Sygeplejerske", "Pædagog", "Pædagogmedhjælper", "Tømrer", "Elektriker", "Butiksassistent",
    "Kok", "Rengøringsassistent", "Kontorassistent", "Bogholder", "Salgskonsulent",
    "Softwareudvikler", "Projektleder", "Maskinarbejder", "Smed", "Murer", "VVS-montør",
    "Industrioperatør", "Lærer", "Administrativ medarbejder", "Kundeservicemedarbejder",
    "Regnskabsassistent", "Tjener", "Bager", "Slagter", "Gartner", "Landbrugsmedhjælper",
    "Buschauffør", "Postbud", "Produktionsmedarbejder", "Mekaniker", "HR-konsulent",
    "Marketingkoordinator", "Ingeniør", "Laborant", "Receptionist", "Vagt", "Flyttemand",
    "Kassemedarbejder", "IT-supporter", "Lastbilchauffør", "Truckfører", "Montør", "Køkkenhjælp",
]

VEJNAVNE = [
    "Vestergade", "Østergade", "Nørregade", "Søndergade", "Storegade", "Algade", "Jernbanegade",
    "Kirkevej", "Skolevej", "Industrivej", "Håndværkervej", "Møllevej", "Stationsvej", "Parkvej",
    "Engvej", "Skovvej", "Strandvej", "Havnegade", "Bredgade", "Torvet", "Fabriksvej",
    "Erhvervsvej", "Lundvej", "Bakkevej", "Ringvej", "Hovedgaden", "Markvej", "Birkevej",
    "Egevej", "Bøgevej", "Rosenvej", "Nygade", "Kongensgade", "Dronningensgade", "Rådhuspladsen",
    "Banegårdsgade", "Vejlevej", "Holbækvej", "Roskildevej", "Randersvej",
]

LOKATIONSUDDYBNINGER = [
    "Lokale 2.14", "Mødelokale 3", "Stuen, indgang B", "1. sal, lokale 104",
    "Henvend dig i receptionen", "Indgang fra gården", "Mødelokale Fjorden", "2. sal, mødelokale 7",
    "Bygning C, stuen", "Ventesalen ved skranke 4",
]

INDSATSER = [
    "Virksomhedspraktik", "Ansættelse med løntilskud", "Jobrettet uddannelse", "Nytteindsats",
    "Vejledning og opkvalificering", "Mentorstøtte", "Seks ugers jobrettet uddannelse",
    "Jobsøgningskursus", "Danskuddannelse", "Voksenlærling", "Opkvalificeringsjob",
    "Afklaringsforløb", "Brancheskift - kursus",
]

KONTAKTROLLER = [
    "Jobkonsulent", "Sagsbehandler", "Virksomhedskonsulent", "Mentor", "Rådgiver",
    "Sundhedsfaglig konsulent", "Ungerådgiver", None,
]

ANDRE_AKTOERER = ["AA001", "AA002", "AA003", "AA004", "AA005"]

MOEDELINK_DOMAENE = "https://moede.jobcenter.dk/"


def ascii_navn(navn: str) -> str:
    """Lower-case ASCII for e-mail addresses ("Høje-Taastrup" → "hoejetaastrup")."""
    s = navn.lower()
    for a, b in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), ("é", "e"), ("-", ""), (" ", ""), (",", ""),
                 ("'", ""), ("&", "")):
        s = s.replace(a, b)
    return s


def domaene(navn: str) -> str:
    """A plausible e-mail domain for a municipality ("Høje-Taastrup" → "hoejetaastrup.dk")."""
    s = ascii_navn(navn)
    return "kk.dk" if s == "koebenhavn" else f"{s}.dk"
