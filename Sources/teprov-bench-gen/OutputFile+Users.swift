/// Writing a generated person's values. Names and sites need no escaping (see `NameTables`), so
/// they are copied as they are; the callers escape departments per format.
extension OutputFile {
    /// `given.surname<index>@contoso.com`, or a guest's `..._fabrikam.com#EXT#@contoso.onmicrosoft.com`.
    mutating func writeUserPrincipalName(_ user: GeneratedUser) {
        writeLocalPart(user, surname: user.surname)
        if user.guest {
            write("_fabrikam.com#EXT#@contoso.onmicrosoft.com")
        } else {
            write("@contoso.com")
        }
    }

    /// The userName ThousandEyes holds: the UPN (a guest's as `alias@domain`), with the former
    /// surname for a renamed person.
    mutating func writeTargetUserName(_ user: GeneratedUser) {
        writeLocalPart(user, surname: user.snapshot == .renamed ? user.formerSurname : user.surname)
        write(user.guest ? "@fabrikam.com" : "@contoso.com")
    }

    private mutating func writeLocalPart(_ user: GeneratedUser, surname: NameTables.Name) {
        write(user.given.ascii)
        write(byte: UInt8(ascii: "."))
        write(surname.ascii)
        write(decimal: user.index)
    }

    /// `Given Surname`.
    mutating func writeDisplayName(_ user: GeneratedUser) {
        write(user.given.display)
        write(byte: UInt8(ascii: " "))
        write(user.surname.display)
    }

    /// The displayName ThousandEyes holds: hand-edited to `Surname, Given` when drifted, with the
    /// former surname when renamed, else the directory's.
    mutating func writeTargetDisplayName(_ user: GeneratedUser) {
        switch user.snapshot {
        case .driftedDisplayName:
            write(user.surname.display)
            write(", ")
            write(user.given.display)
        case .renamed:
            write(user.given.display)
            write(byte: UInt8(ascii: " "))
            write(user.formerSurname.display)
        default:
            writeDisplayName(user)
        }
    }

    /// `M/D/YYYY h:mm:ss AM` (the Entra CSV's createdDateTime).
    mutating func writeUSDateTime(day: Int, second: Int) {
        let date = CivilDate(daysSince1970: CivilDate.epoch2019 + day)
        write(decimal: date.month)
        write(byte: UInt8(ascii: "/"))
        write(decimal: date.day)
        write(byte: UInt8(ascii: "/"))
        write(decimal: date.year)
        write(byte: UInt8(ascii: " "))
        let hour = second / 3600
        write(decimal: hour % 12 == 0 ? 12 : hour % 12)
        write(byte: UInt8(ascii: ":"))
        write(decimal: second / 60 % 60, width: 2)
        write(byte: UInt8(ascii: ":"))
        write(decimal: second % 60, width: 2)
        write(hour < 12 ? " AM" : " PM")
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    mutating func writeISODateTime(day: Int, second: Int) {
        let date = CivilDate(daysSince1970: CivilDate.epoch2019 + day)
        write(decimal: date.year, width: 4)
        write(byte: UInt8(ascii: "-"))
        write(decimal: date.month, width: 2)
        write(byte: UInt8(ascii: "-"))
        write(decimal: date.day, width: 2)
        write(byte: UInt8(ascii: "T"))
        write(decimal: second / 3600, width: 2)
        write(byte: UInt8(ascii: ":"))
        write(decimal: second / 60 % 60, width: 2)
        write(byte: UInt8(ascii: ":"))
        write(decimal: second % 60, width: 2)
        write(byte: UInt8(ascii: "Z"))
    }
}

/// A proleptic Gregorian date (Howard Hinnant's `civil_from_days`).
struct CivilDate {
    let year: Int
    let month: Int
    let day: Int

    /// 2019-01-01 in days since 1970-01-01.
    static let epoch2019 = 17_897

    init(daysSince1970 days: Int) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthPrime = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * monthPrime + 2) / 5 + 1
        month = monthPrime < 10 ? monthPrime + 3 : monthPrime - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }
}
