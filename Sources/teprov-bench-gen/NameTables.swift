/// The vocabulary generated users are made of. Display forms are NFC; `ascii` forms (lower case)
/// build userPrincipalNames. No entry holds a character that CSV, JSON or XML would need to escape,
/// except the departments, which writers escape (`Sales, EMEA` needs CSV quotes).
enum NameTables {
    /// A name as shown and as spelled in an address.
    struct Name: Sendable {
        let display: String
        let ascii: String
    }

    static let givenNames: [Name] = [
        ("Megan", "megan"), ("Alex", "alex"), ("Lidia", "lidia"), ("Isaiah", "isaiah"), ("Joni", "joni"),
        ("Grady", "grady"), ("Zoë", "zoe"), ("Patrick", "patrick"), ("Adele", "adele"), ("Diego", "diego"),
        ("Pradeep", "pradeep"), ("Priya", "priya"), ("Łukasz", "lukasz"), ("Carlos", "carlos"), ("Enrico", "enrico"),
        ("Johanna", "johanna"), ("Irvin", "irvin"), ("Lynne", "lynne"), ("Miriam", "miriam"),
        ("Henrietta", "henrietta"),
        ("Raul", "raul"), ("Christie", "christie"), ("Brian", "brian"), ("Nestor", "nestor"), ("Emily", "emily"),
        ("Sanjay", "sanjay"), ("Debra", "debra"), ("Allan", "allan"), ("José", "jose"), ("Søren", "soren"),
        ("Anaïs", "anais"), ("Jürgen", "jurgen"), ("Chloé", "chloe"), ("Ingrid", "ingrid"), ("Kenji", "kenji"),
        ("Aoife", "aoife"), ("Mateus", "mateus"), ("Fatima", "fatima"), ("Oluwaseun", "oluwaseun"), ("Wei", "wei"),
        ("Hannah", "hannah"), ("Tomás", "tomas"), ("Ana", "ana"), ("Ravi", "ravi"), ("Noor", "noor"),
        ("Björn", "bjorn"), ("Camille", "camille"), ("Dmitri", "dmitri"), ("Elena", "elena"), ("Farah", "farah"),
    ].map { Name(display: $0.0, ascii: $0.1) }

    static let surnames: [Name] = [
        ("Bowen", "bowen"), ("Wilber", "wilber"), ("Holloway", "holloway"), ("Langer", "langer"),
        ("Sherman", "sherman"), ("Archibald", "archibald"), ("Dupré", "dupre"), ("O'Brien", "obrien"),
        ("Vance", "vance"), ("Siciliani", "siciliani"), ("Gupta", "gupta"), ("Raman", "raman"),
        ("Wójcik", "wojcik"), ("Slattery", "slattery"), ("Cattaneo", "cattaneo"), ("Lorenz", "lorenz"),
        ("Sayers", "sayers"), ("Robbins", "robbins"), ("Graham", "graham"), ("Müller", "muller"),
        ("Razo", "razo"), ("Cline", "cline"), ("Johnson", "johnson"), ("Wilke", "wilke"), ("Braun", "braun"),
        ("Patel", "patel"), ("Berger", "berger"), ("Deyoung", "deyoung"), ("García", "garcia"),
        ("Ødegaard", "odegaard"), ("Lefèvre", "lefevre"), ("Nakamura", "nakamura"), ("Kowalski", "kowalski"),
        ("Murphy", "murphy"), ("Santos", "santos"), ("Haddad", "haddad"), ("Adeyemi", "adeyemi"),
        ("Chen", "chen"), ("Schmidt", "schmidt"), ("Rossi", "rossi"), ("Novak", "novak"), ("Kumar", "kumar"),
        ("Çelik", "celik"), ("Johansson", "johansson"), ("Moreau", "moreau"), ("Ivanova", "ivanova"),
        ("Fernández", "fernandez"), ("Walsh", "walsh"), ("D'Angelo", "dangelo"), ("Takahashi", "takahashi"),
    ].map { Name(display: $0.0, ascii: $0.1) }

    /// Departments; `Contractors` is what the samples' scoping filter keeps out.
    static let departments: [String] = [
        "Engineering", "IT Operations", "Marketing", "Finance", "Sales, EMEA", "Sales, Americas",
        "Customer Support", "Human Resources", "Legal", "Operations", "Research", "Contractors",
    ]

    static let jobTitles: [String] = [
        "Engineer", "Senior Engineer", "Principal Engineer", "Network Engineer", "Analyst", "Senior Analyst",
        "Manager", "Senior Manager", "Director", "Specialist", "Coordinator", "Consultant", "Technician",
        "Administrator", "Architect", "Representative",
    ]

    /// Office sites: usage location, city, country, office, postal code, state, street address.
    struct Site: Sendable {
        let usageLocation, city, country, office, postalCode, state, street, phonePrefix: String
    }

    static let sites: [Site] = [
        Site(
            usageLocation: "US", city: "Redmond", country: "United States", office: "Building 40/1101",
            postalCode: "98052", state: "WA", street: "1 Contoso Way", phonePrefix: "+1 425 555 "),
        Site(
            usageLocation: "FR", city: "Paris", country: "France", office: "Paris Opéra 3", postalCode: "75009",
            state: "", street: "12 rue Auber", phonePrefix: "+33 1 55 55 "),
        Site(
            usageLocation: "IE", city: "Dublin", country: "Ireland", office: "Dublin One 2.14",
            postalCode: "D02 X285", state: "", street: "1 Grand Canal Square", phonePrefix: "+353 1 555 "),
        Site(
            usageLocation: "PL", city: "Warszawa", country: "Poland", office: "Warsaw Spire 21",
            postalCode: "00-844", state: "", street: "plac Europejski 1", phonePrefix: "+48 22 555 "),
        Site(
            usageLocation: "DE", city: "Berlin", country: "Germany", office: "Berlin Mitte 4", postalCode: "10117",
            state: "", street: "Unter den Linden 21", phonePrefix: "+49 30 555 "),
        Site(
            usageLocation: "GB", city: "London", country: "United Kingdom", office: "London Paddington 5",
            postalCode: "W2 6BD", state: "", street: "2 Kingdom Street", phonePrefix: "+44 20 555 "),
    ]

    /// `true` when no name or site value needs escaping in CSV, JSON or XML (checked at start-up,
    /// because writers copy these values unescaped).
    static var valuesNeedNoEscaping: Bool {
        let special: Set<UInt8> = [
            UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "<"), UInt8(ascii: ">"),
            UInt8(ascii: "&"), UInt8(ascii: "\\"), 10, 13,
        ]
        let values =
            givenNames.flatMap { [$0.display, $0.ascii] } + surnames.flatMap { [$0.display, $0.ascii] }
            + jobTitles
            + sites.flatMap {
                [
                    $0.usageLocation, $0.city, $0.country, $0.office, $0.postalCode,
                    $0.state, $0.street, $0.phonePrefix,
                ]
            }
        return values.allSatisfy { !$0.utf8.contains(where: special.contains) }
    }
}
